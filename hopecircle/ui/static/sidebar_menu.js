// The sidebar menu's markup, made valid for assistive technology (see hopecircle/ui/sidebar_menu.py).
//
// With sections, Streamlit draws the menu as <ul> > <div> > (<header>, <li>...): a list whose
// children are not list items, and list items outside any list (axe: "list", "listitem"). A
// screen reader then announces broken lists. Here each section becomes a group named by its
// header, holding the links; the outer list and the items step aside (role "none"). Streamlit
// redraws the menu now and then, so a watch applies it again.
export default function (component) {
  const { parentElement } = component;
  if (parentElement.hcMenuWatch) {
    return undefined;
  }
  const apply = () => {
    const list = document.querySelector('[data-testid="stSidebarNavItems"]');
    if (!list || ![...list.children].some((child) => child.tagName !== "LI")) {
      return; // no menu, or one without sections: already a plain list
    }
    list.setAttribute("role", "none");
    [...list.children].forEach((section, n) => {
      if (section.tagName === "LI") {
        section.setAttribute("role", "none");
        return;
      }
      const header = section.querySelector(':scope > [data-testid="stNavSectionHeader"]');
      if (header) {
        header.id = header.id || `hc-menu-section-${n}`;
        section.setAttribute("aria-labelledby", header.id);
      }
      section.setAttribute("role", "group");
      for (const item of section.querySelectorAll(":scope > li")) {
        item.setAttribute("role", "none");
      }
    });
  };
  const watch = new MutationObserver(apply);
  const sidebar = document.querySelector('[data-testid="stSidebar"]') || document.body;
  watch.observe(sidebar, { subtree: true, childList: true });
  apply();
  parentElement.hcMenuWatch = watch;
  return () => {
    watch.disconnect();
    delete parentElement.hcMenuWatch;
  };
}

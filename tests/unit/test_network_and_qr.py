"""Where phones are sent, and a QR code that a phone camera can actually read."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from hopecircle.network import join_address, pick_lan_address
from hopecircle.qr import qr_png


def test_a_configured_public_url_wins():
    address = join_address("https://circle.example.org/", 8501, candidates=[("wlan0", "192.168.1.20")])
    assert address.source == "configured"
    assert address.join_url("K7M4QX") == "https://circle.example.org/?code=K7M4QX"


def test_the_lan_address_is_used_never_localhost():
    address = join_address(None, 8501, candidates=[("lo", "127.0.0.1"), ("wlan0", "192.168.1.20")])
    assert address.source == "lan"
    assert address.join_url("K7M4QX") == "http://192.168.1.20:8501/?code=K7M4QX"


def test_wifi_is_preferred_over_container_bridges_and_link_local():
    candidates = [("docker0", "172.17.0.1"), ("eth0", "169.254.3.4"), ("br-1", "192.168.99.1"), ("wlp2s0", "10.0.0.7")]
    assert pick_lan_address(candidates) == "10.0.0.7"


def test_no_network_means_no_url_rather_than_a_wrong_one():
    address = join_address(None, 8501, candidates=[("lo", "127.0.0.1")])
    assert address.source == "none" and address.join_url("K7M4QX") is None


def test_the_qr_code_decodes_to_the_join_url():
    url = "http://192.168.1.20:8501/?code=K7M4QX"
    image = Image.open(io.BytesIO(qr_png(url)))
    (decoded,) = zxingcpp.read_barcodes(image)
    assert decoded.text == url
    assert image.width >= 400  # big enough to project and scan from the back of a room


def test_the_qr_code_still_decodes_when_shrunk_like_a_distant_phone_sees_it():
    url = "https://circle.example.org/?code=K7M4QX"
    image = Image.open(io.BytesIO(qr_png(url))).convert("L").resize((120, 120))
    (decoded,) = zxingcpp.read_barcodes(image)
    assert decoded.text == url

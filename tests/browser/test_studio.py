#!/usr/bin/env python3
"""The studio (`portrait serve`) in a real browser: headless Chromium driven by Selenium runs the
whole flow at tiny size (LivePortrait tiny fixture weights on the CPU): upload a source (faces
drawn), move a slider (live preview), upload a driving clip, render with progress, download,
verify, render again and close the tab (the job survives), cancel, and a bad upload's error.
With --screenshots DIR it saves a PNG of each page state (docs/studio.md shows them).

Usage: python3 tests/browser/test_studio.py --bin .build/release/portrait [--screenshots docs/studio]
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WEIGHTS = os.path.join(ROOT, "Tests/Fixtures/liveportrait/tiny-weights.safetensors")
SOURCE = os.path.join(ROOT, "assets/astronaut-512.png")
DRIVER = os.path.join(ROOT, "assets/driver-demo.mp4")
TOKEN = "browser-test-token"


class Failure(Exception):
    pass


def start_server(binary, work, models):
    process = subprocess.Popen([binary, "serve", "--port", "0", "--work", work, "--models", models, "--token", TOKEN],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/\?token=\S+)", line)
    if not match:
        process.kill()
        raise Failure("portrait serve printed no address: %r" % line)
    return process, match.group(1)


def make_browser():
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1500",
                 "--no-first-run", "--disable-extensions", "--disable-background-networking"]:
        options.add_argument(flag)
    for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"]:
        if os.path.exists(path):
            options.binary_location = path
            break
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not os.path.exists(driver_path):
        raise Failure("chromedriver not found: install Debian's chromium-driver (scripts/install-deps.sh does)")
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


class Studio:
    def __init__(self, browser, address, shots):
        self.browser, self.address, self.shots = browser, address, shots

    def wait(self, what, condition, timeout=90):
        try:
            return WebDriverWait(self.browser, timeout, poll_frequency=0.1).until(lambda _: condition())
        except Exception:
            raise Failure("timed out waiting for %s; page error box: %r; progress: %r" % (
                what, self.text("error"), self.text("progress-text")))

    def el(self, id):
        return self.browser.find_element(By.ID, id)

    def text(self, id):
        try:
            return self.el(id).text
        except Exception:
            return ""

    def shot(self, name):
        if not self.shots:
            return
        path = os.path.join(self.shots, name + ".png")
        self.browser.save_screenshot(path)
        try:  # small PNGs for the docs when Pillow is there: 60 % size, 128 colours
            from PIL import Image
            picture = Image.open(path).convert("RGB")
            picture = picture.resize((picture.width * 3 // 5, picture.height * 3 // 5), Image.LANCZOS)
            picture.quantize(colors=128).save(path, optimize=True)
        except ImportError:
            pass

    def open(self):
        self.browser.get(self.address)
        self.wait("the page to load", lambda: self.browser.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")

    def choose_model(self):
        Select(self.el("config")).select_by_value("liveportrait-tiny")
        Select(self.el("weights")).select_by_value("lp-tiny.safetensors")
        Select(self.el("device")).select_by_value("cpu")

    def set_slider(self, name, value):
        self.browser.execute_script(
            "const s = document.getElementById(arguments[0]); s.value = arguments[1];"
            "s.dispatchEvent(new Event('input'));", "edit-" + name, str(value))


def run(binary, shots):
    work = tempfile.mkdtemp(prefix="studio-browser-")
    models = os.path.join(work, "models")
    os.makedirs(models)
    shutil.copy(WEIGHTS, os.path.join(models, "lp-tiny.safetensors"))
    bad = os.path.join(work, "not-a-picture.png")
    with open(bad, "w") as f:
        f.write("this is text, not a PNG\n" * 10)
    server, address = start_server(binary, os.path.join(work, "studio"), models)
    browser = make_browser()
    started = time.time()
    steps = []

    def step(name):
        steps.append((name, time.time() - started))
        print("  %-44s %5.1f s" % (name, time.time() - started), flush=True)

    try:
        studio = Studio(browser, address, shots)
        studio.open()
        studio.choose_model()
        step("page loaded")

        studio.el("source-file").send_keys(SOURCE)
        studio.wait("faces", lambda: "found" in studio.text("face-status"))
        if not studio.text("face-status").startswith("1 face"):
            raise Failure("expected one face in the astronaut: %r" % studio.text("face-status"))
        studio.wait("the first preview", lambda: "preview ready" in studio.text("preview-status"))
        studio.shot("1-source-faces")
        step("source uploaded, face found, preview")

        first = studio.el("preview-img").get_attribute("src")
        studio.set_slider("smile", 1.2)
        studio.set_slider("aaa", 60)
        studio.wait("the edited preview", lambda: studio.el("preview-img").get_attribute("src") != first
                    and "preview ready" in studio.text("preview-status"))
        if "source reused" not in studio.text("preview-status"):
            raise Failure("the slider's preview made the source again: %r" % studio.text("preview-status"))
        studio.shot("2-slider-preview")
        step("slider moved, preview followed")

        studio.el("driver-file").send_keys(DRIVER)
        studio.wait("the driver upload", lambda: "mp4" in studio.text("driver-status"))
        studio.el("frames").send_keys("6")
        studio.el("render-btn").click()
        seen = set()

        def rendered():
            text = studio.text("progress-text")
            seen.add(text)
            return text.startswith("done") or text.startswith("failed")
        studio.wait("the render", rendered, timeout=120)
        if not studio.text("progress-text").startswith("done"):
            raise Failure("the render did not finish: %r" % studio.text("progress-text"))
        progress = [t for t in seen if re.search(r"rendering \d+/6 frames", t)]
        if not progress or not any("fps" in t for t in seen):
            raise Failure("no progress with frames and fps was shown: %r" % sorted(seen))
        studio.wait("the video", lambda: studio.el("result-video").is_displayed())
        step("rendered 6 frames with progress")

        link = studio.el("download-link").get_attribute("href")
        with urllib.request.urlopen(link) as reply:
            body = reply.read()
            disposition = reply.headers.get("Content-Disposition", "")
        if body[4:8] != b"ftyp" or "attachment" not in disposition:
            raise Failure("the download is not an MP4 attachment (%d bytes, %r)" % (len(body), disposition))
        studio.el("verify-btn").click()
        studio.wait("the verdict", lambda: "watermark" in studio.text("verify-result"))
        if "watermark found" not in studio.text("verify-result") or "labelled AI-generated" not in studio.text("verify-result"):
            raise Failure("verify did not find the mark and label: %r" % studio.text("verify-result"))
        studio.shot("3-rendered-verified")
        step("downloaded and verified")

        # A long render (LivePortrait at its released size, random weights, on the CPU: minutes),
        # the tab closed and a new one opened: the job runs on and is cancelled from the new page.
        Select(studio.el("config")).select_by_value("liveportrait")
        Select(studio.el("weights")).select_by_value("random:1")
        studio.el("frames").clear()
        studio.el("render-btn").click()
        studio.wait("the long render to start", lambda: studio.text("progress-text").startswith("running"))
        browser.switch_to.new_window("tab")
        browser.switch_to.window(browser.window_handles[0])
        browser.close()
        browser.switch_to.window(browser.window_handles[0])
        studio.open()
        studio.wait("the running job in the new tab", lambda: studio.text("progress-text").startswith("running"))
        studio.shot("4-rendering-in-a-new-tab")
        studio.el("cancel-btn").click()
        studio.wait("the cancellation", lambda: studio.text("progress-text").startswith("cancelled"))
        studio.shot("5-cancelled")
        step("tab closed, job survived, cancelled")

        studio.el("source-file").send_keys(bad)
        studio.wait("the bad upload's error", lambda: studio.el("error").is_displayed())
        if "first bytes" not in studio.text("error"):
            raise Failure("the bad upload's error does not say why: %r" % studio.text("error"))
        studio.shot("6-bad-upload")
        step("bad upload refused with its reason")
    finally:
        browser.quit()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    return steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/release/portrait"))
    parser.add_argument("--screenshots", help="save a PNG of each page state here")
    args = parser.parse_args()
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
    print("studio browser test (headless Chromium, liveportrait-tiny on the CPU):", flush=True)
    try:
        run(os.path.abspath(args.bin), args.screenshots)
    except Failure as failure:
        print("FAILED: %s" % failure, file=sys.stderr)
        return 1
    print("studio browser test: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

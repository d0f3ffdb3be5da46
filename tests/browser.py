"""A page as headless Chromium lays it out at a given width, asked a question by a script.

The script runs in a copy of the page once it has loaded and posts its answer, as JSON, to a
frame around the page; the frame writes it into its own DOM, which `--dump-dom` prints. The frame
also sets the width: headless Chromium will not make its window narrower than 500 px, but an
iframe can be any width, and the page inside it sees exactly that viewport.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from helpers import chromium

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
RESULT = re.compile(r'<pre id="answer">(.*?)</pre>', re.DOTALL)
# Enough virtual time for axe over the whole review (Chromium stops as soon as the page is idle).
VIRTUAL_TIME_MS = 60_000

ASK = """<script>
addEventListener("load", async () => {{
  let answer;
  try {{
    answer = await (async () => {{ {question} }})();
  }} catch (error) {{
    answer = {{ error: String(error) }};
  }}
  parent.postMessage(JSON.stringify(answer), "*");
}});
</script>"""
FRAME = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>frame</title></head><body style="margin:0">
<pre id="answer"></pre>
<script>
addEventListener("message", (event) => {{
  document.getElementById("answer").textContent = event.data;
}});
</script>
<iframe src="{page}" title="page" style="border:0;width:{width}px;height:{height}px"></iframe>
</body></html>"""

# axe-core's violations, each with the first few elements it found.
AXE_VIOLATIONS = """
const results = await axe.run(document, { resultTypes: ["violations"] });
return results.violations.map((v) => ({
  id: v.id,
  impact: v.impact,
  help: v.help,
  targets: v.nodes.slice(0, 5).map((node) => node.target.join(" ")),
}));
"""


def asked(page_html: str, question: str, width: int, workdir: Path, scripts: str = "") -> Any:
    """The JSON answer of question (the body of an async JavaScript function) in a copy of the
    page laid out `width` px wide, with scripts (<script> elements) loaded before it."""
    workdir.mkdir(parents=True, exist_ok=True)
    page = workdir / "page.html"
    page.write_text(
        page_html.replace("</body>", scripts + ASK.format(question=question) + "</body>", 1),
        encoding="utf-8",
    )
    frame = workdir / "frame.html"
    frame.write_text(FRAME.format(page=page.name, width=width, height=800), encoding="utf-8")
    done = chromium(
        workdir / "profile",
        "--dump-dom",
        f"--virtual-time-budget={VIRTUAL_TIME_MS}",
        "--window-size=1280,900",
        frame.as_uri(),
        timeout=300,
    )
    found = RESULT.search(done.stdout)
    if found is None or not found.group(1).strip():
        raise AssertionError(f"the page posted no answer: {done.stderr[-2000:]}")
    answer = json.loads(html.unescape(found.group(1)))
    if isinstance(answer, dict) and "error" in answer:
        raise AssertionError(f"the question failed in the page: {answer['error']}")
    return answer


def axe_violations(page_html: str, width: int, workdir: Path) -> list[dict[str, Any]]:
    """What axe-core finds wrong with the page at this width."""
    axe = f"<script>{AXE_SCRIPT.read_text(encoding='utf-8')}</script>"
    return asked(page_html, AXE_VIOLATIONS, width, workdir, scripts=axe)

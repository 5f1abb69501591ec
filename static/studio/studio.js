// Studio: line numbers beside the rule-file editor, and jumping to the line of a problem.
(function () {
  "use strict";

  function renumber(editor) {
    var textarea = editor.querySelector("textarea");
    var gutter = editor.querySelector("[data-gutter]");
    var flagged = (textarea.dataset.issueLines || "").split(" ").filter(Boolean);
    var count = textarea.value.split("\n").length;
    if (gutter.childElementCount === count) return;
    var html = [];
    for (var line = 1; line <= count; line += 1) {
      var mark = flagged.indexOf(String(line)) >= 0 ? ' class="has-issue"' : "";
      html.push('<span id="L' + line + '"' + mark + ">" + line + "</span>");
    }
    gutter.innerHTML = html.join("\n");
  }

  function goToLine(editor, line) {
    var textarea = editor.querySelector("textarea");
    var lines = textarea.value.split("\n");
    if (!line || line > lines.length) return;
    var start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
    textarea.focus();
    textarea.setSelectionRange(start, start + lines[line - 1].length);
    var lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
    textarea.scrollTop = Math.max(0, (line - 4) * lineHeight);
    editor.scrollIntoView({ block: "nearest" });
  }

  document.querySelectorAll("[data-code-editor]").forEach(function (editor) {
    var textarea = editor.querySelector("textarea");
    var gutter = editor.querySelector("[data-gutter]");
    textarea.addEventListener("input", function () { renumber(editor); });
    textarea.addEventListener("scroll", function () { gutter.scrollTop = textarea.scrollTop; });
    document.querySelectorAll("a[data-line]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        goToLine(editor, parseInt(link.dataset.line, 10));
      });
    });
    var match = /^#L(\d+)$/.exec(window.location.hash);
    if (match) goToLine(editor, parseInt(match[1], 10));
  });
})();

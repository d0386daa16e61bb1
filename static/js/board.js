// Drag and drop on the pipeline's boards: the stage board
// (templates/deals/board.html) and the close-month board
// (templates/deals/months.html).
//
// The boards work without this script: every card carries a small "move
// to" form (a menu marked data-drop-menu and a button), which is also how
// keyboard users and touch screens move a card. Dragging a card with a
// mouse or pen onto another column fills in that same form with the
// column's data-drop value and submits it — through htmx, which swaps in
// the fresh board with its new totals — so a drag and a form post are one
// code path on the server, version check included. A column whose value
// the card's menu does not offer (won/lost on the stage board's cards that
// may not go there, "overdue" on the month board) is not a drop target.
// On touch screens a drag would fight with scrolling the board column by
// column, so touch keeps the menu.
(function () {
  "use strict";
  var THRESHOLD = 6; // pixels before a press becomes a drag (a click stays a click)
  var drag = null;

  function columnAt(x, y) {
    var el = document.elementFromPoint(x, y);
    return el ? el.closest("#board section[data-drop]") : null;
  }

  function menuOf(card) {
    var form = card.querySelector("form.move-form");
    return form && form.querySelector("select[data-drop-menu]");
  }

  function offers(menu, value) {
    return Array.prototype.some.call(menu.options, function (o) { return o.value === value; });
  }

  function mark(col) {
    if (drag.over === col) return;
    if (drag.over) drag.over.classList.remove("drop-target");
    drag.over = col;
    if (col && col.dataset.drop !== drag.card.dataset.drop && offers(drag.menu, col.dataset.drop)) {
      col.classList.add("drop-target");
    }
  }

  function begin(event) {
    var box = drag.card.getBoundingClientRect();
    drag.dx = event.clientX - box.left;
    drag.dy = event.clientY - box.top;
    var ghost = drag.card.cloneNode(true);
    // The copy is only a picture: no ids, nothing to focus or read out.
    ghost.removeAttribute("id");
    ghost.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    ghost.querySelectorAll("form").forEach(function (el) { el.remove(); });
    ghost.setAttribute("aria-hidden", "true");
    ghost.classList.add("drag-ghost");
    ghost.style.width = box.width + "px";
    document.body.appendChild(ghost);
    drag.ghost = ghost;
    drag.card.classList.add("dragging");
    document.body.classList.add("is-dragging");
  }

  function end() {
    var d = drag;
    drag = null;
    if (d && d.ghost) {
      d.ghost.remove();
      d.card.classList.remove("dragging");
      document.body.classList.remove("is-dragging");
      if (d.over) d.over.classList.remove("drop-target");
    }
    return d;
  }

  document.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || event.pointerType === "touch") return;
    var card = event.target.closest("#board .deal-card");
    if (!card || event.target.closest("a, button, select, input, label, textarea")) return;
    var menu = menuOf(card);
    if (!menu) return; // the viewer may not move it
    drag = { card: card, menu: menu, id: event.pointerId, x: event.clientX, y: event.clientY, ghost: null, over: null };
  });

  document.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) return;
    if (!drag.ghost) {
      if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < THRESHOLD) return;
      begin(event);
    }
    event.preventDefault();
    drag.ghost.style.transform =
      "translate(" + (event.clientX - drag.dx) + "px," + (event.clientY - drag.dy) + "px)";
    mark(columnAt(event.clientX, event.clientY));
  });

  document.addEventListener("pointerup", function (event) {
    if (!drag || event.pointerId !== drag.id) return;
    var d = end();
    if (!d.ghost) return; // it was a click
    var col = columnAt(event.clientX, event.clientY);
    if (!col || col.dataset.drop === d.card.dataset.drop) return;
    if (!offers(d.menu, col.dataset.drop)) return;
    d.menu.value = col.dataset.drop;
    // Show it where it was dropped at once; the answer replaces the whole
    // board with what the server holds (or a conflict notice).
    var list = col.querySelector("ol.cards");
    if (list) list.insertBefore(d.card, list.firstChild);
    d.card.classList.add("moving");
    d.menu.form.requestSubmit();
  });

  document.addEventListener("pointercancel", end);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drag) end();
  });

  // A column's quick-add form (stage board): the answer replaces the
  // board, so the focus goes back to that column's form — its first field
  // with an error, else the title — to add the next deal from the keyboard.
  var quickStage = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form.quick-add");
    quickStage = form ? form.dataset.stageId : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!quickStage) return;
    var form = document.querySelector('#board form.quick-add[data-stage-id="' + quickStage + '"]');
    quickStage = null;
    if (!form) return;
    var field = form.querySelector("[aria-invalid=true]") || form.querySelector("input[name=title]");
    if (field) field.focus();
  });
})();

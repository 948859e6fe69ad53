// The page's collection of quotes, kept in this browser (localStorage), so that it outlives a reload
// and a restart of the server. Run as js_on_load by the results' gr.HTML (at page load) and by the
// collection panel's (when the closed panel is first opened: app/web/collect.py); one copy keeps the
// state, a later run only draws the panel.
//
// What is stored is read back as hostile data: its shape is checked field by field, anything else is
// dropped, and every piece of text reaches the page as text (textContent, never innerHTML). What the
// stored data cannot be read as is set aside under BACKUP_KEY, never silently overwritten. Exports
// go to the server, which makes each quote's record afresh from the index (app/collection.py).
(() => {
  if (window.verbatimCollection) {
    window.verbatimCollection.render();
    return;
  }
  const KEY = "verbatim.collection";
  const BACKUP_KEY = "verbatim.collection.unreadable";
  const MAX_ITEMS = 500;
  const MAX_TEXT = 20000;
  const MAX_NAME = 80;
  const KINDS = { sentence: "best sentence", passage: "whole passage", quote: "best supporting quote" };
  const TEXT_FIELDS = ["quote", "doc_id", "title", "publisher", "date", "url", "path", "section", "language",
    "sha256", "encoding", "citation", "plain", "markdown", "reference"];
  const FORMS = { plain: "Text", markdown: "Markdown", reference: "Reference" };

  function cleanRecord(record) {
    if (!record || typeof record !== "object" || Array.isArray(record)) return null;
    const { start, end } = record;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) return null;
    const clean = { start, end };
    for (const field of TEXT_FIELDS) {
      const value = record[field];
      if (value === undefined || value === null) clean[field] = "";
      else if (typeof value === "string" && value.length <= MAX_TEXT) clean[field] = value;
      else return null;
    }
    if (!clean.doc_id || !clean.quote) return null;
    clean.page = Number.isSafeInteger(record.page) ? record.page : null;
    const paragraphs = record.paragraphs;
    clean.paragraphs = Array.isArray(paragraphs) && paragraphs.length === 2 && paragraphs.every(Number.isSafeInteger)
      ? [paragraphs[0], paragraphs[1]] : [];
    return clean;
  }

  function cleanItem(item) {
    if (!item || typeof item !== "object" || !Object.hasOwn(KINDS, item.kind)) return null;
    const record = cleanRecord(item.record);
    return record ? { kind: item.kind, record } : null;
  }

  function cleanName(name) {
    return typeof name === "string" ? name.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").replace(/\s+/g, " ").trim().slice(0, MAX_NAME) : "";
  }

  const state = { name: "", items: [], saved: true, note: "", undo: null, setAside: 0 };

  function load() {
    let raw = null;
    try {
      raw = window.localStorage.getItem(KEY);
    } catch (error) {
      state.saved = false;
      return;
    }
    if (raw === null) { state.name = ""; state.items = []; return; }
    let data = null;
    try { data = JSON.parse(raw); } catch (error) { data = null; }
    const listed = data && typeof data === "object" && Array.isArray(data.items) ? data.items : null;
    const items = (listed || []).slice(0, MAX_ITEMS).map(cleanItem).filter(Boolean);
    const unread = listed === null ? 1 : listed.length - items.length;
    state.name = cleanName(data && data.name);
    state.items = items;
    if (unread > 0) {
      state.setAside = unread;
      // What is kept from now on is what the page shows; the stored text as it was stays set aside.
      if (setAside(raw)) write();
    }
  }

  function setAside(raw) {
    try {
      if (window.localStorage.getItem(BACKUP_KEY) === null) window.localStorage.setItem(BACKUP_KEY, raw);
      return true;
    } catch (error) {
      return false;
    }
  }

  function write() {
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ version: 1, name: state.name, items: state.items }));
      state.saved = true;
    } catch (error) {
      state.saved = false;
    }
  }

  function save() {
    write();
    render();
  }

  // Before each change, the latest stored state (another tab may have changed it), unless the
  // browser refused the last write: then the page's own copy is the only one.
  function change(apply) {
    if (state.saved) load();
    apply();
    save();
  }

  function sameQuote(a, b) {
    return a.doc_id === b.doc_id && a.start === b.start && a.end === b.end;
  }

  function shortQuote(text, length = 70) {
    const line = text.replace(/\s+/g, " ").trim();
    return line.length > length ? line.slice(0, length - 1) + "…" : line;
  }

  function make(tag, attributes = {}, text = "") {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    if (text) element.textContent = text;
    return element;
  }

  function button(label, action, index, extra = {}) {
    return make("button", { type: "button", class: "vb-coll-button", "data-action": action, "data-index": String(index), ...extra }, label);
  }

  // The panel is closed while the collection is empty (an empty panel would fill the page); it opens
  // once something is collected, and on a page load that finds a collection kept.
  function openPanel() {
    const toggle = document.querySelector("#vb-collect-panel > button, #vb-collect-panel .label-wrap");
    if (toggle && !toggle.classList.contains("open") && toggle.getAttribute("aria-expanded") !== "true") toggle.click();
  }

  function root() {
    return document.querySelector("#vb-collection .vb-coll");
  }

  function render() {
    const panel = root();
    if (!panel) return;
    panel.replaceChildren();
    const head = make("div", { class: "vb-coll-head" });
    const label = make("label", { class: "vb-coll-name" }, "Collection name ");
    const name = make("input", { type: "text", id: "vb-collection-name", maxlength: String(MAX_NAME),
      placeholder: "Untitled collection", autocomplete: "off" });
    name.value = state.name;
    label.append(name);
    const count = state.items.length;
    const reports = new Set(state.items.map((item) => item.record.doc_id)).size;
    const summary = count
      ? `${count} quote${count === 1 ? "" : "s"} from ${reports} report${reports === 1 ? "" : "s"}, kept in this browser`
      : "Your collection is empty: collect a best sentence or a whole passage from the results above.";
    head.append(label, make("span", { class: "vb-summary vb-coll-count" }, summary));
    if (count) head.append(button("Empty the collection", "empty", -1, { id: "vb-clear" }));
    panel.append(head);
    const notes = make("div", { class: "vb-coll-notes", role: "status", "aria-live": "polite" });
    if (!state.saved) {
      notes.append(make("p", { class: "vb-coll-warning" },
        "This browser does not let the page keep your collection: it will be lost when you leave or reload the page. Export it first."));
    }
    if (state.setAside) {
      notes.append(make("p", { class: "vb-coll-warning" },
        `${state.setAside} stored quote${state.setAside === 1 ? "" : "s"} could not be read and ${state.setAside === 1 ? "was" : "were"} set aside in this browser (localStorage “${BACKUP_KEY}”), not deleted.`));
    }
    if (state.note) {
      const note = make("p", { class: "vb-coll-note" }, state.note);
      if (state.undo) note.append(" ", button("Undo", "undo", -1, { id: "vb-undo" }));
      notes.append(note);
    }
    panel.append(notes);
    if (!count) return;
    const list = make("ol", { class: "vb-coll-items" });
    state.items.forEach((item, index) => {
      const entry = make("li", { class: "vb-coll-item", "data-index": String(index) });
      entry.append(make("div", { class: "vb-coll-quote" }, "“" + item.record.quote.replace(/\s+/g, " ").trim() + "”"));
      entry.append(make("div", { class: "vb-coll-cite" }, `${KINDS[item.kind]} · ${item.record.citation}`));
      const actions = make("div", { class: "vb-coll-actions" });
      const up = button("↑ Up", "up", index, { "aria-label": `Move quote ${index + 1} up` });
      const down = button("↓ Down", "down", index, { "aria-label": `Move quote ${index + 1} down` });
      up.disabled = index === 0;
      down.disabled = index === count - 1;
      actions.append(up, down, button("Remove", "remove", index, { "aria-label": `Remove quote ${index + 1}` }),
        make("span", { class: "vb-actions-label" }, " Copy as"));
      for (const [form, formLabel] of Object.entries(FORMS)) {
        if (item.record[form]) actions.append(button(formLabel, "copy", index, { "data-form": form }));
      }
      entry.append(actions);
      list.append(entry);
    });
    panel.append(list);
  }

  function describe(form, kind) {
    const forms = { plain: "as text", markdown: "as Markdown", reference: "as a reference" };
    return `the ${KINDS[kind] || "quote"}'s citation ${forms[form] || ""}`.trim();
  }

  function collect(record, kind) {
    const item = cleanItem({ kind, record });
    if (!item) return;
    change(() => {
      if (state.items.some((other) => sameQuote(other.record, item.record))) {
        state.note = `Already in your collection: “${shortQuote(item.record.quote)}”`;
      } else if (state.items.length >= MAX_ITEMS) {
        state.note = `The collection holds at most ${MAX_ITEMS} quotes: export it, or remove some, first.`;
      } else {
        state.items.push(item);
        openPanel();
        state.note = `Collected the ${KINDS[kind]} (${state.items.length} in the collection): “${shortQuote(item.record.quote)}”`;
      }
      state.undo = null;
    });
    announce(state.note);
  }

  // What a button did, said where it is seen and read (the results' own markup is redrawn by Gradio).
  function announce(message) {
    let box = document.getElementById("vb-action-status");
    if (!box) {
      box = make("div", { id: "vb-action-status", role: "status", "aria-live": "polite" });
      document.body.append(box);
    }
    box.textContent = message;
    box.classList.add("vb-shown");
    window.clearTimeout(announce.timer);
    announce.timer = window.setTimeout(() => box.classList.remove("vb-shown"), 4000);
  }

  function act(action, index) {
    change(() => {
      const items = state.items;
      if (action === "up" && index > 0 && index < items.length) {
        [items[index - 1], items[index]] = [items[index], items[index - 1]];
        state.note = `Moved quote ${index + 1} up.`;
      } else if (action === "down" && index >= 0 && index < items.length - 1) {
        [items[index + 1], items[index]] = [items[index], items[index + 1]];
        state.note = `Moved quote ${index + 1} down.`;
      } else if (action === "remove" && index >= 0 && index < items.length) {
        const [removed] = items.splice(index, 1);
        state.undo = { items: [removed], at: index };
        state.note = `Removed “${shortQuote(removed.record.quote)}”.`;
      } else if (action === "empty" && items.length) {
        state.undo = { items: items.slice(), at: 0 };
        state.note = `Emptied the collection (${items.length} quote${items.length === 1 ? "" : "s"}).`;
        state.items = [];
      } else if (action === "undo" && state.undo) {
        const kept = state.undo.items.filter((item) => !items.some((other) => sameQuote(other.record, item.record)));
        items.splice(Math.min(state.undo.at, items.length), 0, ...kept);
        state.note = `Put back ${kept.length} quote${kept.length === 1 ? "" : "s"}.`;
        state.undo = null;
      }
    });
    const moved = action === "up" ? index - 1 : action === "down" ? index + 1 : null;
    const focus = moved === null ? null : document.querySelector(`#vb-collection .vb-coll-item[data-index="${moved}"] [data-action="${action}"]`);
    if (focus && !focus.disabled) focus.focus();
  }

  async function copyText(text, what) {
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (error) {
      const area = make("textarea", { readonly: "", class: "vb-copy-area", "aria-hidden": "true" });
      area.value = text;
      document.body.append(area);
      area.select();
      try { copied = document.execCommand("copy"); } catch (ignored) { copied = false; }
      area.remove();
    }
    announce(copied ? `Copied ${what} to the clipboard.` : `This browser did not let the page copy ${what}: select it and copy it by hand.`);
  }

  function recordOf(holder, kind) {
    try {
      return cleanRecord(JSON.parse(holder.dataset[kind] || "null"));
    } catch (error) {
      return null;
    }
  }

  function onClick(event) {
    const target = event.target instanceof Element ? event.target.closest("button") : null;
    if (!target) return;
    const holder = target.closest(".vb-actions");
    if (holder && target.classList.contains("vb-copy")) {
      const record = recordOf(holder, target.dataset.record);
      if (record && record[target.dataset.form]) copyText(record[target.dataset.form], describe(target.dataset.form, target.dataset.record));
    } else if (holder && target.classList.contains("vb-collect")) {
      const record = recordOf(holder, target.dataset.record);
      if (record) collect(record, target.dataset.record);
    } else if (target.classList.contains("vb-coll-button") && target.closest("#vb-collection")) {
      const action = target.dataset.action;
      const index = Number.parseInt(target.dataset.index, 10);
      if (action === "copy") {
        const item = state.items[index];
        if (item && item.record[target.dataset.form]) copyText(item.record[target.dataset.form], describe(target.dataset.form, item.kind));
      } else if (action === "empty") {
        const count = state.items.length;
        const named = state.name ? `“${state.name}”` : "the collection";
        if (window.confirm(`Empty ${named}? Its ${count} quote${count === 1 ? "" : "s"} will be removed (you can undo it until the next change).`)) act("empty", -1);
      } else {
        act(action, index);
      }
    }
  }

  function onInput(event) {
    if (event.target instanceof Element && event.target.id === "vb-collection-name") {
      const name = cleanName(event.target.value);
      if (state.saved) load();
      state.name = name;
      write();
      if (!state.saved) render();
    }
  }

  window.verbatimCollection = { key: KEY, render };
  document.addEventListener("click", onClick);
  document.addEventListener("input", onInput);
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) { load(); render(); }
  });
  // Only when the browser cannot keep the collection: leaving the page would lose it.
  window.addEventListener("beforeunload", (event) => {
    if (!state.saved && state.items.length) { event.preventDefault(); event.returnValue = ""; }
  });
  load();
  render();
  if (state.items.length || state.setAside) openPanel();  // a kept collection, or what could not be read of it
})();

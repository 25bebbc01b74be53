import { Node, nodeInputRule, nodePasteRule } from "@tiptap/core";

/** A merge field as the editor keeps it: the field's name and the text used when it is empty. */
export type MergeFieldAttrs = { name: string; fallback: string };

export type MergeFieldOptions = {
  /** Called when the user clicks a chip, to let them edit its fallback next to `anchor`. */
  onedit: ((pos: number, attrs: MergeFieldAttrs, anchor: HTMLElement) => void) | null;
};

/** `{{ name }}` or `{{ name | fallback }}`, read the way the backend reads placeholders. */
const TOKEN = /\{\{([^{}]*)\}\}/g;

/** Splits the inside of a `{{…}}`; null when it names no field. */
export function parseToken(inner: string): MergeFieldAttrs | null {
  const bar = inner.indexOf("|");
  const name = (bar < 0 ? inner : inner.slice(0, bar)).trim();
  const fallback = bar < 0 ? "" : cleanFallback(inner.slice(bar + 1));
  return name ? { name, fallback } : null;
}

/** Braces would end or nest the placeholder early, so they cannot be part of a fallback. */
export function cleanFallback(text: string): string {
  return text.replace(/[{}]/g, "").trim();
}

export function formatToken({ name, fallback }: MergeFieldAttrs): string {
  return fallback ? `{{${name}|${fallback}}}` : `{{${name}}}`;
}

/** The field names a mail body uses, in order of first use. */
export function mergeFieldsIn(html: string): string[] {
  const names = new Set<string>();
  for (const match of html.matchAll(TOKEN)) {
    const attrs = parseToken(match[1]);
    if (attrs) names.add(attrs.name);
  }
  return [...names];
}

/** Text inside these never holds a placeholder the user wrote. */
const SKIP = "script, style, textarea, [data-merge-field]";

/**
 * Turns every placeholder written as text into the span the editor reads as a chip. It works on
 * parsed text nodes only, so a placeholder inside an attribute (a link's query string) stays as is.
 */
export function expandMergeFields(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node as Text;
    if (text.data.includes("{{") && !text.parentElement?.closest(SKIP)) texts.push(text);
  }
  for (const text of texts) {
    const parts = splitMergeFields(text.data);
    if (parts.every((part) => typeof part === "string")) continue;
    text.replaceWith(
      ...parts.map((part) => (typeof part === "string" ? part : chipElement(doc, part))),
    );
  }
  return doc.body.innerHTML;
}

/** Plain text cut into the runs between placeholders and the fields they name, in order. */
export function splitMergeFields(text: string): (string | MergeFieldAttrs)[] {
  const parts: (string | MergeFieldAttrs)[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const attrs = parseToken(match[1]);
    if (!attrs) continue;
    parts.push(text.slice(last, match.index), attrs);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts.filter((part) => part !== "");
}

function chipElement(doc: Document, attrs: MergeFieldAttrs): HTMLElement {
  const span = doc.createElement("span");
  span.setAttribute("data-merge-field", attrs.name);
  if (attrs.fallback) span.setAttribute("data-fallback", attrs.fallback);
  span.textContent = formatToken(attrs);
  return span;
}

/** Typing or pasting a complete `{{…}}` that names a field turns it into a chip at once. */
const NAMED = String.raw`\{\{([^{}|]*[^{}|\s][^{}|]*(?:\|[^{}]*)?)\}\}`;
const TYPED = new RegExp(`${NAMED}$`);
const PASTED = new RegExp(NAMED, "g");

/**
 * A merge field shown as a chip that cannot be edited letter by letter. In the HTML it is a span
 * whose text is the placeholder itself, so the mail still merges when the span's attributes are
 * stripped by the sanitiser.
 */
/**
 * Marks the chips under `root` whose field is not among `known`, with a title saying why; the
 * others get `hint`.
 */
export function markChips(
  root: HTMLElement,
  known: string[],
  titles: { unknown: (name: string) => string; hint: string },
): void {
  for (const element of root.querySelectorAll<HTMLElement>(".merge-chip")) {
    const name = element.dataset.mergeField ?? "";
    const unknown = !known.includes(name);
    element.classList.toggle("unknown", unknown);
    element.title = unknown ? titles.unknown(name) : titles.hint;
  }
}

export const MergeField = Node.create<MergeFieldOptions>({
  name: "mergeField",
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,
  draggable: true,

  addOptions() {
    return { onedit: null };
  },

  addAttributes() {
    return {
      name: {
        default: "",
        parseHTML: (element) => element.getAttribute("data-merge-field")?.trim() ?? "",
        renderHTML: (attrs) => ({ "data-merge-field": attrs.name }),
      },
      fallback: {
        default: "",
        parseHTML: (element) => cleanFallback(element.getAttribute("data-fallback") ?? ""),
        renderHTML: (attrs) => (attrs.fallback ? { "data-fallback": attrs.fallback } : {}),
      },
    };
  },

  parseHTML() {
    return [
      {
        tag: "span[data-merge-field]",
        getAttrs: (element) => (element.getAttribute("data-merge-field")?.trim() ? null : false),
      },
    ];
  },

  renderHTML({ node, HTMLAttributes }) {
    return ["span", HTMLAttributes, formatToken(node.attrs as MergeFieldAttrs)];
  },

  renderText({ node }) {
    return formatToken(node.attrs as MergeFieldAttrs);
  },

  addInputRules() {
    return [
      nodeInputRule({
        find: TYPED,
        type: this.type,
        getAttributes: (match) => parseToken(match[1]) ?? {},
      }),
    ];
  },

  addPasteRules() {
    return [
      nodePasteRule({
        find: PASTED,
        type: this.type,
        getAttributes: (match) => parseToken(match[1]) ?? {},
      }),
    ];
  },

  addNodeView() {
    return ({ node: initial, getPos, editor }) => {
      let node = initial;
      const dom = document.createElement("span");
      dom.className = "merge-chip";
      dom.setAttribute("contenteditable", "false");
      const name = dom.appendChild(document.createElement("span"));
      name.className = "merge-chip-name";
      const fallback = dom.appendChild(document.createElement("span"));
      fallback.className = "merge-chip-fallback";

      const render = () => {
        const attrs = node.attrs as MergeFieldAttrs;
        dom.dataset.mergeField = attrs.name;
        name.textContent = attrs.name;
        fallback.textContent = attrs.fallback;
        fallback.hidden = !attrs.fallback;
      };
      render();

      dom.addEventListener("click", () => {
        const pos = getPos();
        if (!editor.isEditable || pos === undefined || !this.options.onedit) return;
        this.options.onedit(pos, node.attrs as MergeFieldAttrs, dom);
      });

      return {
        dom,
        update: (next) => {
          if (next.type !== node.type) return false;
          node = next;
          render();
          return true;
        },
      };
    };
  },
});

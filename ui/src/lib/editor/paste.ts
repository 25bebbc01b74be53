/** Elements that carry only Office's bookkeeping or page setup, never text the user copied. */
const JUNK = new Set(["script", "style", "meta", "link", "title", "xml", "col", "colgroup", "o:p"]);

/** Layout that Excel and Word pin to table parts; the mail's table sizes itself instead. */
const TABLE_PARTS = new Set(["table", "thead", "tbody", "tfoot", "tr", "td", "th"]);
const TABLE_LAYOUT = new Set(["width", "height", "border", "cellpadding", "cellspacing"]);

/** The one class the editor itself gives meaning to (a button-style link). */
const KEPT_CLASS = "shisa-button";

/**
 * Cleans HTML that comes from the clipboard, mostly Word, Outlook and Excel: their comments,
 * Office-only elements, class names, `mso-` styles and fonts go; text formatting, colours, lists,
 * tables and links stay. Word's pretend lists (paragraphs with a typed bullet) become real lists.
 */
export function cleanPastedHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const body = doc.body;
  removeComments(body);
  convertWordLists(body);
  for (const element of [...body.querySelectorAll("*")]) {
    const tag = element.tagName.toLowerCase();
    if (JUNK.has(tag)) element.remove();
    else if (tag.includes(":")) element.replaceWith(...element.childNodes);
    else cleanAttributes(element, tag);
  }
  for (const span of [...body.querySelectorAll("span")].reverse()) {
    if (!span.hasChildNodes()) span.remove();
    else if (span.attributes.length === 0) span.replaceWith(...span.childNodes);
  }
  removeLayoutWhitespace(body);
  return body.innerHTML.trim();
}

/** Where only blocks may stand, the line breaks of Office's HTML source carry no text. */
const BLOCK_CONTAINERS = "body, ul, ol, table, thead, tbody, tfoot, tr";

function removeLayoutWhitespace(body: HTMLElement): void {
  for (const parent of [body, ...body.querySelectorAll(BLOCK_CONTAINERS)]) {
    for (const child of [...parent.childNodes]) {
      if (child.nodeType === Node.TEXT_NODE && /^[ \t\r\n\f]*$/.test(child.textContent ?? "")) {
        child.remove();
      }
    }
  }
}

function removeComments(root: HTMLElement): void {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) comments.push(node);
  for (const comment of comments) comment.parentNode?.removeChild(comment);
}

function cleanAttributes(element: Element, tag: string): void {
  const table = TABLE_PARTS.has(tag);
  for (const { name } of [...element.attributes]) {
    if (name === "class") {
      if (element.classList.contains(KEPT_CLASS)) element.setAttribute(name, KEPT_CLASS);
      else element.removeAttribute(name);
    } else if (name === "lang" || name.includes(":") || (table && TABLE_LAYOUT.has(name))) {
      element.removeAttribute(name);
    }
  }
  const style = element.getAttribute("style");
  if (style === null) return;
  const kept = declarations(style).filter(([property]) => keepDeclaration(property, table));
  if (kept.length === 0) element.removeAttribute("style");
  else element.setAttribute("style", kept.map(([p, v]) => `${p}: ${v}`).join("; "));
}

function keepDeclaration(property: string, table: boolean): boolean {
  if (property.startsWith("mso-") || property === "font-family" || property === "font") {
    return false;
  }
  return !(table && (property === "width" || property === "height"));
}

/** Splits a style attribute into [property, value] pairs; quoted font names may hold `;`. */
function declarations(style: string): [string, string][] {
  const parts: string[] = [];
  let current = "";
  let quote = "";
  for (const ch of style) {
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === ";") {
      parts.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.flatMap((part) => {
    const colon = part.indexOf(":");
    if (colon < 0) return [];
    const property = part.slice(0, colon).trim().toLowerCase();
    const value = part.slice(colon + 1).trim();
    return property && value ? [[property, value] as [string, string]] : [];
  });
}

/** Word marks list paragraphs with `mso-list: l0 level1 lfo1` and types the bullet itself. */
const WORD_LIST = /mso-list:\s*l\d+/i;
const WORD_LEVEL = /level(\d+)/i;
const WORD_MARKER = /mso-list:\s*ignore/i;

/**
 * A typed marker with a digit, or letters with their punctuation (`a)`, `(ア)`, `イ．`), numbers
 * the list; bullets are single symbols, often letters of a symbol font (`o`, `l`, `§`).
 */
function isNumbered(marker: string): boolean {
  return (
    /[0-9０-９①-⑳]/.test(marker) ||
    /^[(（]?\p{L}{1,4}[.)．）、]$/u.test(marker) ||
    /^[(（]\p{L}{1,4}[)）]$/u.test(marker)
  );
}

function convertWordLists(body: HTMLElement): void {
  const items = [...body.querySelectorAll("p")].filter((p) =>
    WORD_LIST.test(p.getAttribute("style") ?? ""),
  );
  const runs: HTMLElement[][] = [];
  for (const item of items) {
    const run = runs.at(-1);
    if (run && item.previousElementSibling === run.at(-1)) run.push(item);
    else runs.push([item]);
  }
  for (const run of runs) convertRun(run);
}

function convertRun(run: HTMLElement[]): void {
  const doc = run[0].ownerDocument;
  const stack: { list: HTMLElement; level: number }[] = [];
  for (const paragraph of run) {
    const level = Number(WORD_LEVEL.exec(paragraph.getAttribute("style") ?? "")?.[1] ?? 1);
    const marker = [...paragraph.querySelectorAll("span")].find((span) =>
      WORD_MARKER.test(span.getAttribute("style") ?? ""),
    );
    const tag = isNumbered((marker?.textContent ?? "").replace(/\s/g, "")) ? "ol" : "ul";
    marker?.remove();
    while (stack.length > 1 && stack[stack.length - 1].level > level) stack.pop();
    const top = stack.at(-1);
    if (!top) {
      const list = doc.createElement(tag);
      run[0].before(list);
      stack.push({ list, level });
    } else if (top.level < level) {
      const list = doc.createElement(tag);
      (top.list.lastElementChild ?? top.list).append(list);
      stack.push({ list, level });
    }
    const item = doc.createElement("li");
    item.append(...paragraph.childNodes);
    stack[stack.length - 1].list.append(item);
    paragraph.remove();
  }
}

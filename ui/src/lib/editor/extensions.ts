import { Extension, mergeAttributes, type Extensions, type Node } from "@tiptap/core";
import Image, { type ImageOptions } from "@tiptap/extension-image";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import TextAlign from "@tiptap/extension-text-align";
import { BackgroundColor, Color, FontSize, TextStyle } from "@tiptap/extension-text-style";
import StarterKit from "@tiptap/starter-kit";
import { MergeField, type MergeFieldOptions } from "./mergeField";
import { isLinkHref } from "./urls";

type MailImageOptions = ImageOptions & {
  /** Maps a stored `src` (a `cid:` reference) to an address the editor can show. */
  display: (src: string) => string | null;
};

/**
 * An image whose HTML keeps the `src` it was given (`cid:…` for attached files) while the editor
 * shows it through `display`, so a data URL never ends up in the mail.
 */
const MailImage = Image.extend<MailImageOptions>({
  addOptions() {
    return { ...this.parent!(), display: () => null };
  },

  addNodeView() {
    return ({ node, HTMLAttributes }) => {
      const dom = document.createElement("img");
      for (const [key, value] of Object.entries(
        mergeAttributes(this.options.HTMLAttributes, HTMLAttributes),
      )) {
        if (key !== "src" && value !== null && value !== undefined) dom.setAttribute(key, value);
      }
      const src = String(node.attrs.src ?? "");
      const shown = src.startsWith("cid:") ? this.options.display(src) : src;
      dom.dataset.src = src;
      dom.classList.toggle("missing", !shown);
      if (shown) dom.setAttribute("src", shown);
      // Any change to the image is rare enough to simply draw it anew.
      return { dom, update: (next) => next.sameMarkup(node) };
    };
  },
});

/**
 * A table as plain markup. The stock rendering adds a colgroup and pixel widths for column
 * resizing, which mail clients lay out poorly; here the table sizes itself.
 */
const MailTable = Table.extend({
  renderHTML({ HTMLAttributes }) {
    return ["table", mergeAttributes(this.options.HTMLAttributes, HTMLAttributes), ["tbody", 0]];
  },
});

/** Column widths only matter for resizing, which mails have no use for. */
function unsized<Options>(cell: Node<Options>): Node<Options> {
  return cell.extend({
    addAttributes() {
      return {
        ...this.parent?.(),
        colwidth: { default: null, parseHTML: () => null, rendered: false },
      };
    },
  });
}

export type MailExtensionOptions = {
  display: MailImageOptions["display"];
  onedit: MergeFieldOptions["onedit"];
  /** Ctrl/⌘+K asks for a link, as in most mail programs. */
  onlink: () => void;
};

export function mailExtensions(options: MailExtensionOptions): Extensions {
  return [
    StarterKit.configure({
      heading: { levels: [1, 2, 3] },
      code: false,
      codeBlock: false,
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: "https",
        HTMLAttributes: { target: null, rel: null },
        isAllowedUri: (url) => isLinkHref(url),
      },
    }),
    TextStyle,
    Color,
    BackgroundColor,
    FontSize,
    TextAlign.configure({ types: ["heading", "paragraph"] }),
    MailImage.configure({ inline: true, display: options.display }),
    MailTable.configure({ resizable: false, View: null }),
    TableRow,
    unsized(TableHeader),
    unsized(TableCell),
    MergeField.configure({ onedit: options.onedit }),
    Extension.create({
      name: "linkShortcut",
      addKeyboardShortcuts() {
        return {
          "Mod-k": () => {
            options.onlink();
            return true;
          },
        };
      },
    }),
  ];
}

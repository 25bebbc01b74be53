/** Addresses the preview would fetch from the internet: http(s) and scheme-relative ones. */
const REMOTE = /^\s*(https?:)?\/\//i;

/** Shown instead of a remote image, so the user sees that something is missing and why. */
const PLACEHOLDER_STYLE =
  "display:inline-block;padding:0.4em 0.8em;border:1px dashed #8a96a0;color:#5f6b76;font-size:13px";

/**
 * The mail without its remote images. Opening a mail that loads images from the internet tells
 * their sender that it was read, and a preview is not a reading, so nothing is fetched until
 * the user asks. Images carried in the mail (`data:` URLs) are shown.
 */
export function blockRemoteImages(html: string, label: string): { html: string; blocked: number } {
  const doc = new DOMParser().parseFromString(html, "text/html");
  let blocked = 0;
  for (const img of doc.querySelectorAll("img")) {
    const src = img.getAttribute("src") ?? "";
    if (!REMOTE.test(src)) continue;
    img.removeAttribute("src");
    img.removeAttribute("srcset");
    img.setAttribute("alt", label);
    img.setAttribute("title", src.trim());
    img.setAttribute("style", PLACEHOLDER_STYLE);
    blocked += 1;
  }
  if (blocked === 0) return { html, blocked };
  const doctype = doc.doctype ? `<!DOCTYPE ${doc.doctype.name}>` : "";
  return { html: doctype + doc.documentElement.outerHTML, blocked };
}

const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

function parse(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** Whether a stored href may stay a link: web pages and mail addresses only. */
export function isLinkHref(href: string): boolean {
  const url = parse(href);
  if (!url || !LINK_PROTOCOLS.has(url.protocol)) return false;
  return url.protocol === "mailto:" ? url.pathname !== "" : url.hostname !== "";
}

/**
 * Reads a link address as typed. A bare address (`www.example.jp`, `info@example.jp`) is
 * completed the way people mean it; anything else must already be http, https or mailto.
 * Returns null when the address cannot be a link.
 */
export function linkHref(input: string): string | null {
  const text = input.trim();
  if (/^[^\s@/:]+@[^\s@/:]+\.[^\s@/:]+$/u.test(text)) return `mailto:${text}`;
  if (/^[\p{L}\p{N}_-]+(\.[\p{L}\p{N}_-]+)+([/?#]\S*)?$/u.test(text)) return `https://${text}`;
  return isLinkHref(text) ? text : null;
}

/** Images by address must come over https, so the mail shows them without a mixed-content block. */
export function imageSrc(input: string): string | null {
  const text = input.trim();
  const url = parse(text);
  return url?.protocol === "https:" && url.hostname ? text : null;
}

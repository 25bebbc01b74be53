/** A colour offered in the toolbar; `label` is its i18n key. */
export type Swatch = { value: string; label: string };

/** Dark enough to read on white, in every common mail client. */
export const TEXT_COLORS: Swatch[] = [
  { value: "#1f1f1f", label: "editor.colors.black" },
  { value: "#5f6368", label: "editor.colors.gray" },
  { value: "#c62828", label: "editor.colors.red" },
  { value: "#d84315", label: "editor.colors.orange" },
  { value: "#2e7d32", label: "editor.colors.green" },
  { value: "#1565c0", label: "editor.colors.blue" },
  { value: "#1a237e", label: "editor.colors.navy" },
  { value: "#6a1b9a", label: "editor.colors.purple" },
];

/** Pale enough that black text stays readable on top, as with a highlighter pen. */
export const HIGHLIGHTS: Swatch[] = [
  { value: "#fff59d", label: "editor.colors.yellow" },
  { value: "#c8e6c9", label: "editor.colors.lightGreen" },
  { value: "#bbdefb", label: "editor.colors.lightBlue" },
  { value: "#f8bbd0", label: "editor.colors.pink" },
  { value: "#ffe0b2", label: "editor.colors.lightOrange" },
  { value: "#e1bee7", label: "editor.colors.lavender" },
  { value: "#ffcdd2", label: "editor.colors.lightRed" },
  { value: "#e0e0e0", label: "editor.colors.lightGray" },
];

/** Sizes in px, as mail clients honour them; "" is the body's own size. */
export const FONT_SIZES = [
  { value: "13px", label: "editor.sizes.small" },
  { value: "", label: "editor.sizes.normal" },
  { value: "18px", label: "editor.sizes.large" },
  { value: "24px", label: "editor.sizes.xlarge" },
];

/** Colours read back from HTML are spelled rgb(…) while the palette is written in hex. */
export function sameColor(a: string, b: string): boolean {
  return canonicalColor(a) === canonicalColor(b);
}

function canonicalColor(color: string): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!hex) return color.replace(/\s+/g, "").toLowerCase();
  const n = parseInt(hex[1], 16);
  return `rgb(${n >> 16},${(n >> 8) & 255},${n & 255})`;
}

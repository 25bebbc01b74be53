import { describe, expect, it } from "vitest";
import { blockRemoteImages } from "./remoteImages";

function images(html: string) {
  return [...new DOMParser().parseFromString(html, "text/html").querySelectorAll("img")].map(
    (img) => ({ src: img.getAttribute("src"), alt: img.getAttribute("alt"), title: img.title }),
  );
}

describe("blockRemoteImages", () => {
  it("takes the address off every image from the internet and says so in its place", () => {
    const html =
      "<!DOCTYPE html><html><head></head><body>" +
      '<img src="https://example.jp/a.png" alt="ロゴ">' +
      '<img src="HTTP://example.jp/b.gif">' +
      '<img src="//cdn.example.jp/c.png">' +
      '<img src="data:image/png;base64,iVBORw0KGgo=">' +
      "</body></html>";
    const result = blockRemoteImages(html, "［外部の画像］");

    expect(result.blocked).toBe(3);
    expect(result.html.startsWith("<!DOCTYPE html><html>")).toBe(true);
    expect(images(result.html)).toEqual([
      { src: null, alt: "［外部の画像］", title: "https://example.jp/a.png" },
      { src: null, alt: "［外部の画像］", title: "HTTP://example.jp/b.gif" },
      { src: null, alt: "［外部の画像］", title: "//cdn.example.jp/c.png" },
      { src: "data:image/png;base64,iVBORw0KGgo=", alt: null, title: "" },
    ]);
  });

  it("returns a mail without remote images unchanged", () => {
    const html = '<p>本文</p><img src="data:image/gif;base64,R0lGOD=">';
    expect(blockRemoteImages(html, "x")).toEqual({ html, blocked: 0 });
  });
});

import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Contact } from "../lib/bindings/Contact";
import type { ContactQuery } from "../lib/bindings/ContactQuery";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/fakeCore")).fakeCore);
const { fakeCore: core } = await import("../test/fakeCore");

const { default: Contacts } = await import("./Contacts.svelte");

const TOTAL = 250;

function contact(index: number): Contact {
  return {
    id: index + 1,
    address: `user${String(index).padStart(3, "0")}@example.jp`,
    tags: [],
    lists: ["顧客リスト"],
    suppressed: index === 1 ? { reason: "unsubscribed", created_at: "2026-11-01T09:00:00Z" } : null,
    deleted: false,
    updated_at: "2026-11-20T09:00:00Z",
    name: `宛先 ${index}`,
    last_name: null,
    first_name: null,
    kana: null,
    company: "山田商事",
    department: "総務部",
    job_title: null,
    phone: "03-1234-5678",
    fields: { 担当: "佐藤" },
  };
}

function backend(update: (id: number, edit: Contact) => Promise<Contact>) {
  core.invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
    if (command === "list_lists") return [{ id: 1, name: "顧客リスト", contacts: TOTAL }];
    if (command === "list_tags") return [];
    if (command === "query_contacts") {
      const { offset, limit } = args.query as ContactQuery;
      const end = Math.min(TOTAL, offset + limit);
      return {
        total: TOTAL,
        rows: Array.from({ length: end - offset }, (_, i) => contact(offset + i)),
      };
    }
    if (command === "update_contact") return update(args.id as number, args.edit as Contact);
    throw { code: "internal", message: `unexpected ${command}` };
  });
}

function queries(): ContactQuery[] {
  return core.invoke.mock.calls.filter(([c]) => c === "query_contacts").map(([, a]) => a.query);
}

// jsdom lays nothing out; the table needs a size to know how many rows fit.
const sizes = ["offsetHeight", "offsetWidth"] as const;
beforeAll(() => {
  for (const size of sizes) {
    Object.defineProperty(HTMLElement.prototype, size, { configurable: true, get: () => 400 });
  }
});
afterAll(() => {
  for (const size of sizes) delete (HTMLElement.prototype as Partial<HTMLElement>)[size];
});

describe("Contacts", () => {
  beforeEach(() => {
    core.invoke.mockReset();
    backend(async (id, edit) => ({ ...contact(id - 1), ...edit }));
  });

  it("shows the first page of the list it was opened with, and fetches more on scrolling", async () => {
    render(Contacts, { list: "顧客リスト" });

    await vi.waitFor(() =>
      expect(screen.getByTestId("contacts-total")).toHaveTextContent("250 件"),
    );
    expect(queries()[0]).toEqual({
      search: null,
      list: "顧客リスト",
      tag: null,
      status: "all",
      sort: "address",
      descending: false,
      offset: 0,
      limit: 100,
    });
    const rows = screen.getAllByTestId("contacts-row");
    // Only what fits (400 px of 40 px rows) and a few more are in the document, not all 250.
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]).toHaveAttribute("data-address", "user000@example.jp");
    expect(within(rows[1]).getByTestId("contacts-status")).toHaveTextContent("停止（本人の希望）");

    const scroller = screen.getByTestId("contacts-table").querySelector(".scroller")!;
    scroller.scrollTop = 4000;
    await fireEvent.scroll(scroller);
    await vi.waitFor(() => expect(queries().map((q) => q.offset)).toContain(100));
    await vi.waitFor(() =>
      expect(screen.getAllByTestId("contacts-row")[0]).toHaveAttribute(
        "data-address",
        expect.stringMatching(/^user(08|09|10)\d@example\.jp$/),
      ),
    );
  });

  it("searches once typing pauses, and sorts by the column header clicked", async () => {
    render(Contacts, { list: null });
    await screen.findAllByTestId("contacts-row");

    const search = screen.getByTestId("contacts-search");
    await fireEvent.input(search, { target: { value: "山" } });
    await fireEvent.input(search, { target: { value: "山田 商事" } });
    await vi.waitFor(() => expect(queries().at(-1)?.search).toBe("山田 商事"), { timeout: 2000 });
    expect(queries().map((q) => q.search)).toEqual([null, "山田 商事"]);
    expect(queries().at(-1)?.offset).toBe(0);

    await fireEvent.click(screen.getByTestId("contacts-sort-name"));
    expect(queries().at(-1)).toMatchObject({
      search: "山田 商事",
      sort: "name",
      descending: false,
    });
    await fireEvent.click(screen.getByTestId("contacts-sort-name"));
    expect(queries().at(-1)).toMatchObject({ sort: "name", descending: true });
    expect(screen.getByTestId("contacts-sort-name").parentElement).toHaveAttribute(
      "aria-sort",
      "descending",
    );
  });

  it("saves an edited cell with the whole contact, and shows the stored value", async () => {
    render(Contacts, { list: null });
    const [row] = await screen.findAllByTestId("contacts-row");

    await fireEvent.dblClick(within(row).getByTestId("contacts-cell-name"));
    const input = within(row).getByTestId("contacts-cell-name-input");
    await fireEvent.input(input, { target: { value: "  山田 花子 " } });
    await fireEvent.keyDown(input, { key: "Enter" });

    await vi.waitFor(() =>
      expect(within(row).getByTestId("contacts-cell-name")).toHaveTextContent("山田 花子"),
    );
    const [, args] = core.invoke.mock.calls.find(([c]) => c === "update_contact")!;
    const { id, tags, lists, suppressed, deleted, updated_at, ...fields } = contact(0);
    void [tags, lists, suppressed, deleted, updated_at];
    expect(args).toEqual({ id, edit: { ...fields, name: "山田 花子" } });
  });

  it("keeps the cell open with the error next to it when the backend refuses", async () => {
    backend(async () => {
      throw { code: "invalid_input", message: "another contact already has the address" };
    });
    render(Contacts, { list: null });
    const [row] = await screen.findAllByTestId("contacts-row");

    within(row).getByTestId("contacts-cell-address").focus();
    await fireEvent.keyDown(within(row).getByTestId("contacts-cell-address"), { key: "Enter" });
    const input = within(row).getByTestId("contacts-cell-address-input");
    await fireEvent.input(input, { target: { value: "user001@example.jp" } });
    await fireEvent.keyDown(input, { key: "Enter" });

    const error = await within(row).findByTestId("contacts-cell-address-error");
    expect(error).toHaveTextContent("入力内容に誤りがあります");
    expect(error).toHaveTextContent("another contact already has the address");
    expect(input).toHaveValue("user001@example.jp");

    await fireEvent.keyDown(input, { key: "Escape" });
    expect(within(row).getByTestId("contacts-cell-address")).toHaveTextContent(
      "user000@example.jp",
    );
  });
});

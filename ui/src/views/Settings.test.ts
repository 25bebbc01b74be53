import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Account } from "../lib/bindings/Account";
import type { AccountForm } from "../lib/bindings/AccountForm";
import type { Preferences } from "../lib/bindings/Preferences";
import type { Preset } from "../lib/bindings/Preset";
import type { Settings as SettingsData } from "../lib/bindings/Settings";
import type { StepReport } from "../lib/bindings/StepReport";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/fakeCore")).fakeCore);
const { fakeCore: core } = await import("../test/fakeCore");

const { default: Settings } = await import("./Settings.svelte");

const DAY = 86_400;

const PRESETS: Preset[] = [
  {
    key: "gmail",
    name: "Gmail",
    limits: { windows: [{ seconds: DAY, max: 500 }], connections: 2 },
    host: "smtp.gmail.com",
    port: 465,
  },
  {
    key: "sakura",
    name: "さくらのレンタルサーバ",
    limits: { windows: [{ seconds: 900, max: 100 }], connections: 2 },
    host: null,
    port: null,
  },
];

const OFFICE: Account = {
  name: "事務局",
  host: "smtp.example.jp",
  port: 587,
  security: "starttls",
  user: "office@example.jp",
  from: null,
  preset: null,
  limits: { windows: [{ seconds: 3600, max: 100 }], connections: 3 },
};

/**
 * The settings commands over an in-memory copy of what the backend keeps, which it returns to
 * start from other preferences. `handlers` replace single commands, e.g. to fail or to hold a
 * reply.
 */
function backend(
  accounts: Account[],
  account: string | null,
  handlers: Record<string, (args: Record<string, unknown>) => Promise<unknown>> = {},
) {
  const state: { accounts: Account[]; preferences: Preferences } = {
    accounts: [...accounts],
    preferences: { large_message_mb: 10, account, own_domains: [], blocked: [], hold_seconds: 60 },
  };
  const settings = (): SettingsData => ({
    accounts: [...state.accounts].sort((a, b) => a.name.localeCompare(b.name)),
    practice_mailbox: "/home/u/practice",
    preferences: { ...state.preferences },
  });
  core.invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
    if (handlers[command]) return handlers[command](args);
    switch (command) {
      case "get_settings":
        return settings();
      case "list_presets":
        return PRESETS;
      case "set_preferences":
        state.preferences = args.preferences as Preferences;
        return settings();
      case "save_account": {
        // The password goes to the keychain: the accounts the backend lists have none.
        const saved: Account & { password?: string | null } = { ...(args.form as AccountForm) };
        delete saved.password;
        state.accounts = [...state.accounts.filter((a) => a.name !== saved.name), saved];
        state.preferences.account = saved.name;
        return settings();
      }
      case "delete_account":
        state.accounts = state.accounts.filter((a) => a.name !== args.name);
        if (state.preferences.account === args.name) state.preferences.account = null;
        return settings();
    }
    throw { code: "internal", message: `unexpected ${command}` };
  });
  return state;
}

function calls(command: string): unknown[] {
  return core.invoke.mock.calls.filter(([c]) => c === command).map(([, args]) => args);
}

/** The texts of the error banners shown. */
function alerts(): string[] {
  return screen.getAllByRole("alert").map((a) => a.textContent?.trim() ?? "");
}

async function openForm() {
  await fireEvent.click(await screen.findByTestId("settings-add-account"));
  return screen.findByTestId("settings-save");
}

describe("Settings", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });

  it("keeps the size above which a mail is pointed out", async () => {
    backend([], null);
    render(Settings);
    const size = screen.getByTestId("settings-large-message");
    await waitFor(() => expect(size).toHaveValue(10));
    expect(core.invoke).toHaveBeenCalledWith("get_settings", undefined);

    await fireEvent.input(size, { target: { value: "0" } });
    await waitFor(() => expect(screen.getByTestId("settings-save-preferences")).toBeDisabled());
    await fireEvent.input(size, { target: { value: "25" } });
    await fireEvent.click(screen.getByTestId("settings-save-preferences"));

    await waitFor(() =>
      expect(calls("set_preferences")).toEqual([
        {
          preferences: {
            large_message_mb: 25,
            account: null,
            own_domains: [],
            blocked: [],
            hold_seconds: 60,
          },
        },
      ]),
    );
    expect(await screen.findByText("設定を保存しました。")).toBeInTheDocument();
  });

  it("keeps the hold after confirming, from none up to ten minutes", async () => {
    backend([], null);
    render(Settings);
    const hold = screen.getByTestId("settings-hold");
    await waitFor(() => expect(hold).toHaveValue(60));
    expect(screen.getByText(/0 にするとすぐ送信します/)).toBeInTheDocument();
    const save = screen.getByTestId("settings-save-preferences");

    for (const wrong of ["601", "-1", "2.5", ""]) {
      await fireEvent.input(hold, { target: { value: wrong } });
      expect(save, wrong).toBeDisabled();
    }
    await fireEvent.input(hold, { target: { value: "0" } });
    expect(save).toBeEnabled();
    await fireEvent.click(save);

    await waitFor(() =>
      expect(calls("set_preferences")).toEqual([
        {
          preferences: {
            large_message_mb: 10,
            account: null,
            own_domains: [],
            blocked: [],
            hold_seconds: 0,
          },
        },
      ]),
    );
    expect(await screen.findByText("設定を保存しました。")).toBeInTheDocument();
  });

  it("shows the saved own and blocked domains one per line", async () => {
    const state = backend([], null);
    state.preferences.own_domains = ["office.co.jp", "office.jp"];
    state.preferences.blocked = ["rival.co.jp", "ceo@partner.jp"];
    render(Settings);
    expect(await screen.findByTestId("settings-own-domains")).toHaveValue(
      "office.co.jp\noffice.jp",
    );
    expect(screen.getByTestId("settings-blocked")).toHaveValue("rival.co.jp\nceo@partner.jp");
    expect(screen.getByText(/確認画面で『社外』と表示されます/)).toBeInTheDocument();
  });

  it("saves the domain lists tidied, with the other preferences as they were", async () => {
    const state = backend([OFFICE], "事務局");
    state.preferences.large_message_mb = 25;
    render(Settings);
    const own = await screen.findByTestId("settings-own-domains");
    const blocked = screen.getByTestId("settings-blocked");
    await fireEvent.input(own, {
      target: { value: "  Office.CO.jp \n\n@office.jp\noffice.co.jp\n" },
    });
    await fireEvent.input(blocked, {
      target: {
        value: "@Rival.co.jp\nCEO@Partner.jp\n\nｃｅｏ＠ｐａｒｔｎｅｒ．ｊｐ\nrival.co.jp",
      },
    });
    await fireEvent.click(screen.getByTestId("settings-recipients-save"));

    await waitFor(() =>
      expect(calls("set_preferences")).toEqual([
        {
          preferences: {
            large_message_mb: 25,
            account: "事務局",
            own_domains: ["office.co.jp", "office.jp"],
            blocked: ["rival.co.jp", "ceo@partner.jp"],
            hold_seconds: 60,
          },
        },
      ]),
    );
    expect(await screen.findByText("設定を保存しました。")).toBeInTheDocument();
    expect(own).toHaveValue("office.co.jp\noffice.jp");
    expect(blocked).toHaveValue("rival.co.jp\nceo@partner.jp");

    // Saving the size afterwards keeps the lists.
    await fireEvent.click(screen.getByTestId("settings-save-preferences"));
    await waitFor(() => expect(calls("set_preferences")).toHaveLength(2));
    expect(calls("set_preferences")[1]).toEqual(calls("set_preferences")[0]);
  });

  it("refuses lines that are neither a domain nor an address", async () => {
    backend([], null);
    render(Settings);
    const own = await screen.findByTestId("settings-own-domains");
    const blocked = screen.getByTestId("settings-blocked");
    await fireEvent.input(own, { target: { value: "office.co.jp\nyamada@office.co.jp" } });
    await fireEvent.input(blocked, { target: { value: "rival co jp\nrival.co.jp\nlocalhost" } });
    await fireEvent.click(screen.getByTestId("settings-recipients-save"));

    expect(alerts()).toEqual([
      "「yamada@office.co.jp」はドメインとして読み取れません。example.co.jp のように、@ より後ろの部分を入力してください。",
      "「rival co jp」はドメインやメールアドレスとして読み取れません。例: rival.co.jp、tanaka@example.jp",
      "「localhost」はドメインやメールアドレスとして読み取れません。例: rival.co.jp、tanaka@example.jp",
    ]);
    expect(own).toHaveAttribute("aria-invalid", "true");
    expect(blocked).toHaveAttribute("aria-invalid", "true");
    expect(calls("set_preferences")).toEqual([]);

    // Corrections take the messages away as they are made.
    await fireEvent.input(own, { target: { value: "office.co.jp" } });
    expect(own).toHaveAttribute("aria-invalid", "false");
    expect(alerts()).toHaveLength(2);
    expect(calls("set_preferences")).toEqual([]);
  });

  it("disables saving the domain lists while it runs and shows what was refused", async () => {
    let refuse: (error: unknown) => void = () => {};
    backend([], null, {
      set_preferences: () => new Promise((_resolve, reject) => (refuse = reject)),
    });
    render(Settings);
    await fireEvent.input(await screen.findByTestId("settings-blocked"), {
      target: { value: "rival.co.jp" },
    });
    const save = screen.getByTestId("settings-recipients-save");
    await fireEvent.click(save);

    await waitFor(() => expect(save).toBeDisabled());
    expect(save).toHaveTextContent("保存中…");
    refuse({ code: "invalid_input", message: "own_domains: too many" });

    expect(await screen.findByRole("alert")).toHaveTextContent("入力内容に誤りがあります");
    expect(save).toBeEnabled();
    expect(screen.queryByText("設定を保存しました。")).not.toBeInTheDocument();
  });

  it("switches between practice mode and a saved account", async () => {
    backend([OFFICE], "事務局");
    render(Settings);
    const office = await screen.findByTestId("settings-account-事務局");
    const practice = screen.getByTestId("settings-mode-practice");
    expect(office).toBeChecked();
    expect(screen.getByText("office@example.jp・smtp.example.jp:587")).toBeInTheDocument();
    expect(screen.getByText("1時間 100通・同時接続 3")).toBeInTheDocument();
    expect(screen.getByText(/練習用メールボックスに書き込まれます/)).toBeInTheDocument();

    await fireEvent.click(practice);
    await waitFor(() =>
      expect(calls("set_preferences")).toEqual([
        {
          preferences: {
            large_message_mb: 10,
            account: null,
            own_domains: [],
            blocked: [],
            hold_seconds: 60,
          },
        },
      ]),
    );
    expect(practice).toBeChecked();

    await fireEvent.click(office);
    await waitFor(() => expect(calls("set_preferences")).toHaveLength(2));
    expect(calls("set_preferences")[1]).toEqual({
      preferences: {
        large_message_mb: 10,
        account: "事務局",
        own_domains: [],
        blocked: [],
        hold_seconds: 60,
      },
    });
    expect(office).toBeChecked();
  });

  it("shows the saved choice again when it could not be changed", async () => {
    backend([OFFICE], null, {
      set_preferences: async () => {
        throw { code: "not_found", message: "no such account: 事務局" };
      },
    });
    render(Settings);
    const office = await screen.findByTestId("settings-account-事務局");
    await fireEvent.click(office);

    expect(await screen.findByRole("alert")).toHaveTextContent("対象が見つかりませんでした");
    expect(screen.getByTestId("settings-mode-practice")).toBeChecked();
    expect(office).not.toBeChecked();
  });

  it("adds an account from a provider's preset and uses it", async () => {
    backend([], null);
    render(Settings);
    expect(await screen.findByText(/アカウントを追加すると/)).toBeInTheDocument();
    await openForm();
    expect(screen.queryByTestId("settings-add-account")).not.toBeInTheDocument();
    expect(screen.getByTestId("settings-preset")).toHaveFocus();
    expect(screen.getByTestId("settings-preset")).toHaveValue("");
    expect(screen.getByTestId("settings-preset")).toHaveDisplayValue("その他（手入力）");

    await fireEvent.change(screen.getByTestId("settings-preset"), {
      target: { value: "gmail" },
    });
    expect(screen.getByTestId("settings-name")).toHaveValue("Gmail");
    expect(screen.getByTestId("settings-host")).toHaveValue("smtp.gmail.com");
    expect(screen.getByTestId("settings-port")).toHaveValue(465);
    expect(screen.getByTestId("settings-security")).toHaveValue("tls");
    expect(screen.getByTestId("settings-per-day")).toHaveValue(500);
    expect(screen.getByTestId("settings-per-hour")).toHaveValue(null);
    expect(screen.getByTestId("settings-connections")).toHaveValue(2);

    await fireEvent.input(screen.getByTestId("settings-name"), { target: { value: "営業部" } });
    await fireEvent.input(screen.getByTestId("settings-user"), {
      target: { value: "sales@example.jp" },
    });
    await fireEvent.input(screen.getByTestId("settings-password"), {
      target: { value: "app-pass" },
    });
    await fireEvent.input(screen.getByTestId("settings-from"), {
      target: { value: "営業部 <sales@example.jp>" },
    });
    await fireEvent.input(screen.getByTestId("settings-per-minute"), { target: { value: "20" } });
    await fireEvent.click(screen.getByTestId("settings-save"));

    await waitFor(() => expect(calls("save_account")).toHaveLength(1));
    expect(calls("save_account")[0]).toEqual({
      form: {
        name: "営業部",
        host: "smtp.gmail.com",
        port: 465,
        security: "tls",
        user: "sales@example.jp",
        password: "app-pass",
        from: "営業部 <sales@example.jp>",
        preset: "gmail",
        limits: {
          windows: [
            { seconds: 60, max: 20 },
            { seconds: DAY, max: 500 },
          ],
          connections: 2,
        },
      },
    });
    expect(await screen.findByTestId("settings-account-営業部")).toBeChecked();
    expect(screen.getByText(/「営業部」を保存しました/)).toBeInTheDocument();
    expect(screen.queryByTestId("settings-save")).not.toBeInTheDocument();
  });

  it("keeps a preset's other limits and shows them in words", async () => {
    backend([], null);
    render(Settings);
    await openForm();
    await fireEvent.change(screen.getByTestId("settings-preset"), {
      target: { value: "sakura" },
    });
    expect(screen.getByTestId("settings-other-limits")).toHaveTextContent("15分 100通");
    // The provider has no server for everybody: the user types it.
    expect(screen.getByTestId("settings-host")).toHaveValue("");
    await fireEvent.input(screen.getByTestId("settings-host"), {
      target: { value: "example.sakura.ne.jp" },
    });
    await fireEvent.click(screen.getByTestId("settings-save"));

    await waitFor(() => expect(calls("save_account")).toHaveLength(1));
    const { form } = calls("save_account")[0] as { form: AccountForm };
    expect(form).toMatchObject({
      name: "さくらのレンタルサーバ",
      port: 587,
      security: "starttls",
      user: null,
      password: null,
      from: null,
      preset: "sakura",
      limits: { windows: [{ seconds: 900, max: 100 }], connections: 2 },
    });
  });

  it("lists the connection test's steps and explains the one that failed", async () => {
    const steps: StepReport[] = [
      { step: "dns", ok: true, detail: "192.0.2.7:587", millis: 12 },
      { step: "tcp", ok: true, detail: "192.0.2.7:587", millis: 40 },
      { step: "tls", ok: false, detail: "invalid peer certificate", millis: 1234 },
    ];
    backend([], null, { test_account: async () => steps });
    render(Settings);
    await openForm();
    await fireEvent.input(screen.getByTestId("settings-host"), {
      target: { value: "mail.example.jp" },
    });
    await fireEvent.click(screen.getByTestId("settings-test"));

    const report = await screen.findByTestId("settings-test-steps");
    expect(calls("test_account")[0]).toMatchObject({
      form: { host: "mail.example.jp", port: 587, security: "starttls", password: null },
    });
    expect(report).toHaveTextContent("接続できませんでした");
    const items = within(report).getAllByRole("listitem");
    expect(items.map((li) => li.dataset.step)).toEqual(["dns", "tcp", "tls", "auth"]);
    expect(items[0]).toHaveTextContent("✓ サーバー名の確認 (DNS) 192.0.2.7:587 12 ms");
    expect(items[1]).toHaveTextContent("接続 (TCP)");
    expect(items[2]).toHaveClass("failed");
    expect(items[2]).toHaveTextContent("✗ 暗号化 (TLS) invalid peer certificate 1,234 ms");
    expect(items[2]).toHaveTextContent("暗号化の方式とポートの組み合わせ");
    expect(within(items[3]).getByRole("img")).toHaveAccessibleName("行いませんでした");
    expect(items[3]).toHaveTextContent("ログイン (AUTH)");

    // The report is about the values it ran with; changing one takes it away.
    await fireEvent.input(screen.getByTestId("settings-port"), { target: { value: "465" } });
    expect(screen.queryByTestId("settings-test-steps")).not.toBeInTheDocument();
  });

  it("says when the connection test went through", async () => {
    const steps: StepReport[] = ["dns", "tcp", "tls", "auth"].map((step) => ({
      step: step as StepReport["step"],
      ok: true,
      detail: "ok",
      millis: 5,
    }));
    backend([OFFICE], null, { test_account: async () => steps });
    render(Settings);
    await fireEvent.click(await screen.findByTestId("settings-edit-事務局"));
    await fireEvent.click(screen.getByTestId("settings-test"));
    const report = await screen.findByTestId("settings-test-steps");
    expect(report).toHaveTextContent("接続とログインができました。");
    expect(within(report).queryByText(/確かめてください/)).not.toBeInTheDocument();
  });

  it("edits an account and keeps its saved password when none is typed", async () => {
    backend([OFFICE], "事務局");
    render(Settings);
    await fireEvent.click(await screen.findByTestId("settings-edit-事務局"));

    expect(screen.getByRole("heading", { name: "「事務局」を編集" })).toBeInTheDocument();
    expect(screen.getByTestId("settings-name")).toHaveValue("事務局");
    expect(screen.getByTestId("settings-name")).toHaveAttribute("readonly");
    const password = screen.getByTestId("settings-password");
    expect(password).toHaveValue("");
    expect(password).toHaveAttribute("placeholder", "空欄なら今のパスワードのまま");
    expect(screen.getByTestId("settings-per-hour")).toHaveValue(100);

    await fireEvent.input(screen.getByTestId("settings-per-hour"), { target: { value: "" } });
    await fireEvent.input(screen.getByTestId("settings-per-day"), { target: { value: "800" } });
    await fireEvent.click(screen.getByTestId("settings-save"));

    await waitFor(() => expect(calls("save_account")).toHaveLength(1));
    expect(calls("save_account")[0]).toEqual({
      form: {
        ...OFFICE,
        password: null,
        limits: { windows: [{ seconds: DAY, max: 800 }], connections: 3 },
      },
    });
    expect(await screen.findByText("1日 800通・同時接続 3")).toBeInTheDocument();
  });

  it("deletes an account only after asking", async () => {
    backend([OFFICE], "事務局");
    render(Settings);
    await fireEvent.click(await screen.findByTestId("settings-delete-事務局"));
    expect(screen.getByText(/「事務局」を削除しますか？/)).toBeInTheDocument();
    await fireEvent.click(screen.getByRole("button", { name: "やめる" }));
    expect(calls("delete_account")).toEqual([]);
    expect(screen.queryByText(/削除しますか/)).not.toBeInTheDocument();

    await fireEvent.click(screen.getByTestId("settings-delete-事務局"));
    await fireEvent.click(screen.getByTestId("settings-delete-confirm"));

    await waitFor(() => expect(calls("delete_account")).toEqual([{ name: "事務局" }]));
    expect(await screen.findByText("「事務局」を削除しました。")).toBeInTheDocument();
    expect(screen.queryByTestId("settings-account-事務局")).not.toBeInTheDocument();
    expect(screen.getByTestId("settings-mode-practice")).toBeChecked();
  });

  it("points out what is missing before calling the backend", async () => {
    backend([OFFICE], null);
    render(Settings);
    await openForm();

    await fireEvent.click(screen.getByTestId("settings-test"));
    expect(alerts()).toEqual(["サーバーの名前を入力してください。"]);

    await fireEvent.input(screen.getByTestId("settings-port"), { target: { value: "70000" } });
    await fireEvent.input(screen.getByTestId("settings-connections"), {
      target: { value: "40" },
    });
    await fireEvent.input(screen.getByTestId("settings-per-day"), { target: { value: "1.5" } });
    await fireEvent.click(screen.getByTestId("settings-save"));
    expect(alerts()).toEqual([
      "アカウント名を入力してください。",
      "サーバーの名前を入力してください。",
      "ポートは 1〜65535 の数字で入力してください。",
      "送信の上限は 1 以上の整数で入力してください（空欄は上限なし）。",
      "同時接続数は 1〜32 の数字で入力してください。",
    ]);
    expect(screen.getByTestId("settings-host")).toHaveAttribute("aria-invalid", "true");

    // Corrections take the messages away as they are made.
    await fireEvent.input(screen.getByTestId("settings-name"), { target: { value: "事務局" } });
    await fireEvent.input(screen.getByTestId("settings-host"), {
      target: { value: "smtp.example.jp" },
    });
    await fireEvent.input(screen.getByTestId("settings-port"), { target: { value: "587" } });
    await fireEvent.input(screen.getByTestId("settings-connections"), {
      target: { value: "2" },
    });
    await fireEvent.input(screen.getByTestId("settings-per-day"), { target: { value: "" } });
    expect(alerts()).toEqual(["同じ名前のアカウントがすでにあります。別の名前にしてください。"]);
    expect(calls("test_account")).toEqual([]);
    expect(calls("save_account")).toEqual([]);
  });

  it("disables saving while it runs and shows what the backend refused", async () => {
    let refuse: (error: unknown) => void = () => {};
    backend([], null, {
      save_account: () => new Promise((_resolve, reject) => (refuse = reject)),
    });
    render(Settings);
    const save = await openForm();
    await fireEvent.input(screen.getByTestId("settings-name"), { target: { value: "テスト" } });
    await fireEvent.input(screen.getByTestId("settings-host"), {
      target: { value: "smtp.example.jp" },
    });
    await fireEvent.change(screen.getByTestId("settings-security"), {
      target: { value: "insecure" },
    });
    // The usual port follows the encryption.
    expect(screen.getByTestId("settings-port")).toHaveValue(25);
    expect(screen.getByText(/この PC の中で動くテスト用のサーバー/)).toBeInTheDocument();
    await fireEvent.click(save);

    await waitFor(() => expect(save).toBeDisabled());
    expect(save).toHaveTextContent("保存中…");
    refuse({ code: "invalid_input", message: "AUTH without TLS only to this computer" });

    expect(await screen.findByRole("alert")).toHaveTextContent("入力内容に誤りがあります");
    expect(save).toBeEnabled();
    expect(screen.queryByTestId("settings-account-テスト")).not.toBeInTheDocument();

    await fireEvent.click(screen.getByTestId("settings-cancel"));
    expect(screen.queryByTestId("settings-save")).not.toBeInTheDocument();
    expect(screen.getByTestId("settings-add-account")).toBeInTheDocument();
  });
});

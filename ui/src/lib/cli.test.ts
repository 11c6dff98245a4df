import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { batchScript, createKeyCommand, importCommand, keyActionCommand, keyRingCommand, quote } from "./cli";

const ID = "0c5b1f66-2a8e-4d6f-9a3b-5a4e1c2d3e4f";

/** What a real POSIX shell makes of a quoted word: the test of the quoting, not a re-reading of it. */
function shellWords(line: string): string[] {
  const out = execFileSync("/bin/sh", ["-c", `for word in ${line}; do printf '%s\\0' "$word"; done`], {
    encoding: "utf8",
  });
  return out.split("\0").slice(0, -1);
}

describe("quote", () => {
  it.each([
    ["payments-root", "payments-root"],
    ["", "''"],
    ["two words", "'two words'"],
    ["it's", `'it'\\''s'`],
    ["$HOME", "'$HOME'"],
    ["`id`", "'`id`'"],
    ['say "hi"', `'say "hi"'`],
    ["*.key", "'*.key'"],
    ["=cmd", "'=cmd'"],
    ["~root", "'~root'"],
    ["Schlüssel für Zahlungen", "'Schlüssel für Zahlungen'"],
  ])("quotes %j as %s", (value, quoted) => {
    expect(quote(value)).toBe(quoted);
  });

  it.each(["two words", "it's", "''''", "$HOME $(id) `id` ${x}", 'a "b" \\c', "tab\there", "line\nbreak", "🔑 ключ", "*"])(
    "survives a real shell unchanged: %j",
    (value) => {
      expect(shellWords(quote(value))).toEqual([value]);
    },
  );
});

describe("keyActionCommand", () => {
  it.each([
    [{ action: "rotate", keyId: ID, imported: false }, `strongroom keys rotate ${ID}`],
    [{ action: "disable", keyId: ID }, `strongroom keys disable ${ID}`],
    [{ action: "enable", keyId: ID }, `strongroom keys enable ${ID}`],
    [{ action: "restore", keyId: ID }, `strongroom keys restore ${ID}`],
    [{ action: "delete", keyId: ID }, `strongroom keys delete ${ID}`],
    [{ action: "delete", keyId: ID, force: true }, `strongroom keys delete --force ${ID}`],
  ] as const)("writes %j", (request, expected) => {
    expect(keyActionCommand(request)).toBe(expected);
  });

  it("rotates an imported key through import, with the material from a file named in a variable", () => {
    expect(keyActionCommand({ action: "rotate", keyId: ID, imported: true })).toBe(
      `strongroom import --rotate ${ID} --material-file "$KEY_MATERIAL_FILE"`,
    );
  });

  it.each([
    [{ action: "schedule-deletion", keyId: ID }, `strongroom keys schedule-deletion ${ID}`],
    [{ action: "cancel-deletion", keyId: ID }, `strongroom keys cancel-deletion ${ID}`],
    [{ action: "purge", keyId: ID }, `strongroom keys purge ${ID}`],
    [{ action: "add-alias", keyId: ID, alias: "pay" }, `strongroom keys alias add ${ID} pay`],
    [{ action: "remove-alias", keyId: ID, alias: "-pay" }, `strongroom keys alias remove -- ${ID} -pay`],
    [{ action: "move", keyId: ID, keyRing: "payments" }, `strongroom keys move ${ID} payments`],
    [{ action: "set-policies", keyId: ID, rotationMonths: 3 }, `strongroom keys policies --rotation-months 3 ${ID}`],
    [{ action: "set-policies", keyId: ID, rotationMonths: null, dualAuthDelete: true }, `strongroom keys policies --no-rotation --dual-auth-delete ${ID}`],
  ] as const)("writes %j", (request, expected) => {
    expect(keyActionCommand(request)).toBe(expected);
  });

  it("has no command for a policy change that changes nothing", () => {
    expect(keyActionCommand({ action: "set-policies", keyId: ID })).toBeNull();
  });

  it("writes the key ring commands", () => {
    expect(keyRingCommand({ action: "create", keyRing: "payments" })).toBe("strongroom key-rings create payments");
    expect(keyRingCommand({ action: "delete", keyRing: "payments", force: true })).toBe(
      "strongroom key-rings delete --force payments",
    );
  });

  it("names a remote instance with the target flags, never an API key", () => {
    const line = keyActionCommand(
      { action: "disable", keyId: ID },
      { endpoint: "https://kms.example", instanceId: "inst-1", tokenUrl: "https://iam.example/identity/token", caFile: "/etc/my ca.pem" },
    );
    expect(line).toBe(
      `strongroom keys disable --endpoint https://kms.example --instance-id inst-1 --token-url https://iam.example/identity/token --ca-file '/etc/my ca.pem' ${ID}`,
    );
    expect(line).not.toMatch(/api.?key/i);
  });
});

describe("createKeyCommand", () => {
  it("writes a root key with every flag the CLI has", () => {
    const line = createKeyCommand({
      name: "payments root",
      description: "Owner's key: $TEAM",
      keyType: "root",
      expiresAt: "2030-01-01T00:00:00Z",
      keyRing: "payments",
      aliases: ["pay-main", "pay_old"],
      dualAuthDelete: true,
    });
    expect(line).toBe(
      `strongroom keys create --description 'Owner'\\''s key: $TEAM' --expires-at 2030-01-01T00:00:00Z --key-ring payments --alias pay-main --alias pay_old --dual-auth-delete 'payments root'`,
    );
    expect(shellWords(line ?? "").slice(3, 6)).toEqual(["--description", "Owner's key: $TEAM", "--expires-at"]);
  });

  it("writes a rotation policy", () => {
    expect(createKeyCommand({ name: "k", keyType: "root", rotation: { enabled: true, intervalMonth: 3 } })).toBe(
      "strongroom keys create --rotation-months 3 k",
    );
  });

  it("writes a standard key", () => {
    expect(createKeyCommand({ name: "db-password", keyType: "standard" })).toBe(
      "strongroom keys create --standard db-password",
    );
  });

  it("keeps names and values that start with a dash from being read as flags", () => {
    expect(createKeyCommand({ name: "-root", description: "-x", keyType: "root" })).toBe(
      "strongroom keys create --description=-x -- -root",
    );
  });

  it("has no command when the CLI cannot express the request", () => {
    expect(createKeyCommand({ name: "k", keyType: "root", rotation: { enabled: false, intervalMonth: 3 } })).toBeNull();
    expect(createKeyCommand({ name: "k", keyType: "standard", payload: "c2VjcmV0" })).toBeNull();
    expect(createKeyCommand({ name: "k", keyType: "root", payload: "c2VjcmV0", keyRing: "payments" })).toBeNull();
  });

  it("turns a root key with its own material into a secure import that never holds the material", () => {
    const payload = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const line = createKeyCommand({ name: "byok", keyType: "root", payload, description: "from HSM" });
    expect(line).toBe(`strongroom import --material-file "$KEY_MATERIAL_FILE" --description 'from HSM' byok`);
    expect(line).not.toContain(payload);
  });
});

describe("importCommand", () => {
  it("imports a root key named with unicode and quotes", () => {
    const line = importCommand("Schlüssel 'A'", undefined);
    expect(line).toBe(`strongroom import --material-file "$KEY_MATERIAL_FILE" 'Schlüssel '\\''A'\\'''`);
    expect(shellWords(line.replace('"$KEY_MATERIAL_FILE"', "x")).at(-1)).toBe("Schlüssel 'A'");
  });
});

describe("batchScript", () => {
  it("writes one line per key and a comment where the CLI has no command", () => {
    expect(
      batchScript([
        { key: { name: "a" }, command: `strongroom keys delete ${ID}`, what: "delete" },
        { key: { name: "b\nrm -rf /" }, command: null, what: "scheduling deletion" },
      ]),
    ).toBe(`strongroom keys delete ${ID}\n# b rm -rf /: scheduling deletion has no strongroom command`);
  });
});

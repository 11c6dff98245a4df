import type { CreateKeyRequest, KeyInfo } from "./types";

/**
 * The `strongroom` command line for what the console does, so a change made by clicking can be
 * repeated in a script. Only subcommands and flags that `crates/strongroom-cli` defines are
 * written; an action it has no command for yields `null`, and the console then shows no snippet.
 * Key material never appears: imports read it from a file the person names in a variable.
 */

/** Where the command runs: the embedded keystore when absent, else a remote instance. */
export interface CliTarget {
  endpoint: string;
  instanceId: string;
  tokenUrl?: string;
  caFile?: string;
}

/** The shell variable an import reads the material's file name from; its value is never known here. */
export const MATERIAL_FILE_VARIABLE = "KEY_MATERIAL_FILE";
const MATERIAL_FILE = `"$${MATERIAL_FILE_VARIABLE}"`;

// Words a POSIX shell passes through unchanged, without quotes. `=` and `~` are left out: zsh
// expands a word that starts with them.
const PLAIN_WORD = /^[A-Za-z0-9_./:@%+,-]+$/;

/**
 * One argument for a POSIX shell. Anything beyond plain characters goes in single quotes, inside
 * which nothing is special; an embedded single quote closes the quotes, is escaped, and reopens them.
 */
export function quote(argument: string): string {
  if (PLAIN_WORD.test(argument)) return argument;
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}

/**
 * A flag with its value. clap reads a separate value that starts with `-` as another flag, so such
 * a value is attached with `=`.
 */
function flag(name: string, value: string): string {
  return value.startsWith("-") ? `--${name}=${quote(value)}` : `--${name} ${quote(value)}`;
}

/** Positional arguments after the options; `--` first when one could be mistaken for a flag. */
function positionals(values: string[]): string[] {
  return values.some((value) => value.startsWith("-")) ? ["--", ...values.map(quote)] : values.map(quote);
}

function targetFlags(target: CliTarget | undefined): string[] {
  if (target === undefined) return [];
  return [
    flag("endpoint", target.endpoint),
    flag("instance-id", target.instanceId),
    ...(target.tokenUrl === undefined ? [] : [flag("token-url", target.tokenUrl)]),
    ...(target.caFile === undefined ? [] : [flag("ca-file", target.caFile)]),
  ];
}

function command(words: string[], options: string[], args: string[], target: CliTarget | undefined): string {
  return ["strongroom", ...words, ...options, ...targetFlags(target), ...positionals(args)].join(" ");
}

/** The life-cycle actions on one existing key. */
export type KeyAction =
  | { action: "rotate"; keyId: string; imported: boolean }
  | { action: "disable" | "enable" | "restore"; keyId: string }
  | { action: "delete"; keyId: string; force?: boolean }
  | { action: "schedule-deletion" | "cancel-deletion" | "purge"; keyId: string }
  | { action: "add-alias" | "remove-alias"; keyId: string; alias: string }
  | { action: "move"; keyId: string; keyRing: string }
  | { action: "set-policies"; keyId: string; rotationMonths?: number | null; dualAuthDelete?: boolean };

/** The command for an action on a key, or null when the CLI has none. */
export function keyActionCommand(request: KeyAction, target?: CliTarget): string | null {
  switch (request.action) {
    case "rotate":
      // The CLI rotates imported keys through `import`, which reads the new material from a file.
      return request.imported
        ? command(["import"], [flag("rotate", request.keyId), `--material-file ${MATERIAL_FILE}`], [], target)
        : command(["keys", "rotate"], [], [request.keyId], target);
    case "disable":
    case "enable":
    case "restore":
      return command(["keys", request.action], [], [request.keyId], target);
    case "delete":
      return command(["keys", "delete"], request.force === true ? ["--force"] : [], [request.keyId], target);
    case "schedule-deletion":
    case "cancel-deletion":
    case "purge":
      return command(["keys", request.action], [], [request.keyId], target);
    case "add-alias":
      return command(["keys", "alias", "add"], [], [request.keyId, request.alias], target);
    case "remove-alias":
      return command(["keys", "alias", "remove"], [], [request.keyId, request.alias], target);
    case "move":
      return command(["keys", "move"], [], [request.keyId, request.keyRing], target);
    case "set-policies": {
      const rotation =
        request.rotationMonths === undefined
          ? []
          : request.rotationMonths === null
            ? ["--no-rotation"]
            : [flag("rotation-months", String(request.rotationMonths))];
      const options = [...rotation, ...(request.dualAuthDelete === true ? ["--dual-auth-delete"] : [])];
      // Without a flag the command only shows the policies: that is not the change made.
      return options.length === 0 ? null : command(["keys", "policies"], options, [request.keyId], target);
    }
  }
}

/** The key ring commands. */
export type KeyRingAction = { action: "create" | "delete"; keyRing: string; force?: boolean };

export function keyRingCommand(request: KeyRingAction, target?: CliTarget): string {
  const options = request.action === "delete" && request.force === true ? ["--force"] : [];
  return command(["key-rings", request.action], options, [request.keyRing], target);
}

/**
 * The command that creates the key this request describes, or null when the CLI cannot say all
 * of it (a rotation policy, a standard key's own material, or an import with more than a name
 * and a description).
 */
export function createKeyCommand(request: CreateKeyRequest, target?: CliTarget): string | null {
  // The CLI sets a rotation interval; "rotation off" would leave it to the instance policy.
  if (request.rotation !== undefined && !request.rotation.enabled) return null;
  // The CLI only turns dual authorization on; "off" would leave it to the instance policy.
  if (request.dualAuthDelete === false) return null;
  const description = request.description === undefined ? [] : [flag("description", request.description)];
  if (request.payload !== undefined) {
    const importable =
      request.keyType === "root" &&
      request.expiresAt === undefined &&
      (request.keyRing === undefined || request.keyRing === "default") &&
      (request.aliases ?? []).length === 0 &&
      request.dualAuthDelete === undefined;
    return importable ? importCommand(request.name, request.description, target) : null;
  }
  const options = [
    ...description,
    ...(request.keyType === "standard" ? ["--standard"] : []),
    ...(request.expiresAt === undefined ? [] : [flag("expires-at", request.expiresAt)]),
    ...(request.keyRing === undefined ? [] : [flag("key-ring", request.keyRing)]),
    ...(request.aliases ?? []).map((alias) => flag("alias", alias)),
    ...(request.dualAuthDelete === true ? ["--dual-auth-delete"] : []),
    ...(request.rotation === undefined ? [] : [flag("rotation-months", String(request.rotation.intervalMonth))]),
  ];
  return command(["keys", "create"], options, [request.name], target);
}

/** Secure import of a new root key; the material's file comes from `$KEY_MATERIAL_FILE`. */
export function importCommand(name: string, description: string | undefined, target?: CliTarget): string {
  const options = [
    `--material-file ${MATERIAL_FILE}`,
    ...(description === undefined ? [] : [flag("description", description)]),
  ];
  return command(["import"], options, [name], target);
}

/**
 * Several commands, one per line. Keys whose action has no command get a comment line instead,
 * so the script still says what the console would have done.
 */
export function batchScript(lines: { key: Pick<KeyInfo, "name">; command: string | null; what: string }[]): string {
  return lines
    .map(({ key, command: line, what }) => line ?? `# ${key.name.replace(/[\r\n]+/g, " ")}: ${what} has no strongroom command`)
    .join("\n");
}

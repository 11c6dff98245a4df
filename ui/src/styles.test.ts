import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// styles.scss loads Carbon's styles component by component. A component used without its
// styles still renders, unstyled, and nothing else would notice; this test does.

/** Carbon's style modules, each with the components that need it (one module per line of styles.scss). */
const NEEDED_BY: Record<string, readonly string[]> = {
  accordion: ["Accordion", "AccordionItem"],
  breadcrumb: ["Breadcrumb", "BreadcrumbItem"],
  button: ["Button", "ButtonSet", "IconButton"],
  checkbox: ["Checkbox", "CheckboxGroup", "TableSelectAll", "TableSelectRow"],
  "code-snippet": ["CodeSnippet"],
  "combo-box": ["ComboBox"],
  "content-switcher": ["ContentSwitcher", "Switch"],
  "copy-button": ["CodeSnippet", "CopyButton"],
  "data-table": ["DataTable", "Table", "TableBody", "TableCell", "TableContainer", "TableHead", "TableHeader", "TableRow", "TableSelectAll", "TableSelectRow"],
  "data-table/action": ["TableBatchAction", "TableBatchActions", "TableToolbar", "TableToolbarContent", "TableToolbarSearch"],
  "data-table/expandable": ["TableExpandHeader", "TableExpandRow", "TableExpandedRow"],
  "data-table/skeleton": ["DataTableSkeleton"],
  "data-table/sort": ["DataTable", "TableHeader"],
  "date-picker": ["DatePicker", "DatePickerInput"],
  "file-uploader": ["FileUploaderButton"],
  form: ["Form", "FormGroup"],
  "inline-loading": ["InlineLoading"],
  layer: ["Layer"],
  link: ["Link"],
  "list-box": ["ComboBox", "MultiSelect"],
  loading: ["InlineLoading"],
  menu: ["OverflowMenu", "OverflowMenuItem"],
  modal: ["ComposedModal", "Modal", "ModalBody", "ModalFooter", "ModalHeader"],
  multiselect: ["MultiSelect"],
  notification: ["ActionableNotification", "InlineNotification", "ToastNotification"],
  "number-input": ["NumberInput"],
  "overflow-menu": ["OverflowMenu", "OverflowMenuItem"],
  pagination: ["Pagination"],
  popover: ["Popover", "PopoverContent", "Toggletip", "Tooltip"],
  "progress-bar": ["ProgressBar"],
  "progress-indicator": ["ProgressIndicator", "ProgressStep"],
  "radio-button": ["RadioButton", "RadioButtonGroup", "TileGroup"],
  search: ["TableToolbarSearch"],
  select: ["Pagination", "Select", "SelectItem"],
  "skeleton-styles": ["DataTableSkeleton", "SkeletonPlaceholder", "SkeletonText"],
  stack: ["Stack"],
  "structured-list": ["StructuredListBody", "StructuredListCell", "StructuredListHead", "StructuredListRow", "StructuredListWrapper"],
  tabs: ["Tab", "TabList", "TabPanel", "TabPanels", "Tabs"],
  tag: ["DismissibleTag", "OperationalTag", "Tag"],
  "text-area": ["TextArea"],
  "text-input": ["PasswordInput", "TextInput"],
  tile: ["RadioTile", "Tile", "TileGroup"],
  toggle: ["Toggle"],
  toggletip: ["Toggletip", "ToggletipButton", "ToggletipContent"],
  tooltip: ["IconButton", "Tooltip"],
  "ui-shell": ["Content", "Header", "HeaderGlobalAction", "HeaderGlobalBar", "HeaderName", "HeaderPanel", "SideNav", "SideNavItems", "SideNavLink", "SkipToContent"],
  zone: ["Theme"],
};

/** Carbon exports with no styles of their own. */
const UNSTYLED: readonly string[] = ["FeatureFlags", "GlobalTheme", "useTheme"];

/** The style modules each component needs. */
const STYLES = new Map<string, string[]>(UNSTYLED.map((name) => [name, []]));
for (const [module, names] of Object.entries(NEEDED_BY)) {
  for (const name of names) STYLES.set(name, [...(STYLES.get(name) ?? []), module]);
}

const SRC = join(process.cwd(), "src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every name the console imports from @carbon/react (types aside). */
function carbonImports(): Set<string> {
  const names = new Set<string>();
  for (const file of sources(SRC)) {
    for (const match of readFileSync(file, "utf8").matchAll(/import\s*\{([^}]*)\}\s*from\s*"@carbon\/react"/g)) {
      for (const part of (match[1] ?? "").split(",")) {
        const name = part.trim().split(/\s+as\s+/)[0]?.trim() ?? "";
        if (name !== "" && !name.startsWith("type ")) names.add(name);
      }
    }
  }
  return names;
}

/** The style modules styles.scss loads: `components/tag` → `tag`, `zone` → `zone`. */
function loadedStyles(): Set<string> {
  const scss = readFileSync(join(SRC, "styles.scss"), "utf8");
  const modules = [...scss.matchAll(/@use '@carbon\/react\/scss\/(?:components\/)?([^']+)'/g)].map((m) => m[1] ?? "");
  return new Set(modules);
}

const USED = carbonImports();
const LOADED = loadedStyles();

describe("styles.scss", () => {
  it("loads the styles of every Carbon component the console uses", () => {
    expect(USED.size).toBeGreaterThan(20);
    const unknown = [...USED].filter((name) => !STYLES.has(name));
    expect(unknown, "add these to NEEDED_BY (or UNSTYLED) here, and their style modules to styles.scss").toEqual([]);
    const missing = [...USED].flatMap((name) => (STYLES.get(name) ?? []).filter((module) => !LOADED.has(module)).map((module) => `${name}: ${module}`));
    expect(missing, "add these @use lines to styles.scss").toEqual([]);
  });

  it("loads no component styles the console does not use", () => {
    const needed = new Set([...USED].flatMap((name) => STYLES.get(name) ?? []));
    // The reset, fonts, layout tokens, theme and type are the base every page stands on.
    const base = new Set(["config", "themes", "theme", "fonts", "reset", "layout", "spacing", "type"]);
    const unused = [...LOADED].filter((module) => !needed.has(module) && !base.has(module));
    expect(unused, "remove these @use lines from styles.scss").toEqual([]);
  });
});

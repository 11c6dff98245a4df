import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// styles.scss loads Carbon's styles component by component. A component used without its
// styles still renders, unstyled, and nothing else would notice; this test does.

/** The Carbon style modules each component needs; `[]` for those with no styles of their own. */
const STYLES: Record<string, readonly string[]> = {
  Accordion: ["accordion"],
  AccordionItem: ["accordion"],
  ActionableNotification: ["notification"],
  Breadcrumb: ["breadcrumb"],
  BreadcrumbItem: ["breadcrumb"],
  Button: ["button"],
  ButtonSet: ["button"],
  Checkbox: ["checkbox"],
  CheckboxGroup: ["checkbox"],
  CodeSnippet: ["code-snippet", "copy-button"],
  ComboBox: ["combo-box", "list-box"],
  ComposedModal: ["modal"],
  Content: ["ui-shell"],
  ContentSwitcher: ["content-switcher"],
  CopyButton: ["copy-button"],
  DataTable: ["data-table", "data-table/sort"],
  DataTableSkeleton: ["data-table/skeleton", "skeleton-styles"],
  DatePicker: ["date-picker"],
  DatePickerInput: ["date-picker"],
  DismissibleTag: ["tag"],
  FeatureFlags: [],
  FileUploaderButton: ["file-uploader"],
  Form: ["form"],
  FormGroup: ["form"],
  GlobalTheme: [],
  Header: ["ui-shell"],
  HeaderGlobalAction: ["ui-shell"],
  HeaderGlobalBar: ["ui-shell"],
  HeaderName: ["ui-shell"],
  HeaderPanel: ["ui-shell"],
  IconButton: ["button", "tooltip"],
  InlineLoading: ["inline-loading", "loading"],
  InlineNotification: ["notification"],
  Layer: ["layer"],
  Link: ["link"],
  Modal: ["modal"],
  ModalBody: ["modal"],
  ModalFooter: ["modal"],
  ModalHeader: ["modal"],
  MultiSelect: ["multiselect", "list-box"],
  NumberInput: ["number-input"],
  OperationalTag: ["tag"],
  OverflowMenu: ["overflow-menu", "menu"],
  OverflowMenuItem: ["overflow-menu", "menu"],
  Pagination: ["pagination", "select"],
  PasswordInput: ["text-input"],
  Popover: ["popover"],
  PopoverContent: ["popover"],
  ProgressBar: ["progress-bar"],
  ProgressIndicator: ["progress-indicator"],
  ProgressStep: ["progress-indicator"],
  RadioButton: ["radio-button"],
  RadioButtonGroup: ["radio-button"],
  RadioTile: ["tile"],
  Select: ["select"],
  SelectItem: ["select"],
  SideNav: ["ui-shell"],
  SideNavItems: ["ui-shell"],
  SideNavLink: ["ui-shell"],
  SkeletonPlaceholder: ["skeleton-styles"],
  SkeletonText: ["skeleton-styles"],
  SkipToContent: ["ui-shell"],
  Stack: ["stack"],
  StructuredListBody: ["structured-list"],
  StructuredListCell: ["structured-list"],
  StructuredListHead: ["structured-list"],
  StructuredListRow: ["structured-list"],
  StructuredListWrapper: ["structured-list"],
  Switch: ["content-switcher"],
  Tab: ["tabs"],
  TabList: ["tabs"],
  TabPanel: ["tabs"],
  TabPanels: ["tabs"],
  Table: ["data-table"],
  TableBatchAction: ["data-table/action"],
  TableBatchActions: ["data-table/action"],
  TableBody: ["data-table"],
  TableCell: ["data-table"],
  TableContainer: ["data-table"],
  TableExpandHeader: ["data-table/expandable"],
  TableExpandRow: ["data-table/expandable"],
  TableExpandedRow: ["data-table/expandable"],
  TableHead: ["data-table"],
  TableHeader: ["data-table", "data-table/sort"],
  TableRow: ["data-table"],
  TableSelectAll: ["data-table", "checkbox"],
  TableSelectRow: ["data-table", "checkbox"],
  TableToolbar: ["data-table/action"],
  TableToolbarContent: ["data-table/action"],
  TableToolbarSearch: ["data-table/action", "search"],
  Tabs: ["tabs"],
  Tag: ["tag"],
  TextArea: ["text-area"],
  TextInput: ["text-input"],
  Theme: ["zone"],
  Tile: ["tile"],
  TileGroup: ["tile", "radio-button"],
  ToastNotification: ["notification"],
  Toggle: ["toggle"],
  Toggletip: ["toggletip", "popover"],
  ToggletipButton: ["toggletip"],
  ToggletipContent: ["toggletip"],
  Tooltip: ["tooltip", "popover"],
  useTheme: [],
};

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

describe("styles.scss", () => {
  it("loads the styles of every Carbon component the console uses", () => {
    const used = carbonImports();
    expect(used.size).toBeGreaterThan(20);
    const unknown = [...used].filter((name) => !(name in STYLES));
    expect(unknown, "add these to STYLES here, and their style modules to styles.scss").toEqual([]);
    const loaded = loadedStyles();
    const missing = [...used].flatMap((name) => (STYLES[name] ?? []).filter((module) => !loaded.has(module)).map((module) => `${name}: ${module}`));
    expect(missing, "add these @use lines to styles.scss").toEqual([]);
  });

  it("loads no component styles the console does not use", () => {
    const needed = new Set([...carbonImports()].flatMap((name) => STYLES[name] ?? []));
    // The reset, fonts, layout tokens, theme and type are the base every page stands on.
    const base = new Set(["config", "themes", "theme", "fonts", "reset", "layout", "spacing", "type"]);
    const unused = [...loadedStyles()].filter((module) => !needed.has(module) && !base.has(module));
    expect(unused, "remove these @use lines from styles.scss").toEqual([]);
  });
});

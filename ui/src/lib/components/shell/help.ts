/**
 * The in-app guide: the pages of `docs/guide/` (English, bundled at build time as text), which page
 * each screen shows, and a page rendered to HTML with `marked`. The pages are trusted content from
 * this repository; still, raw HTML in them is shown as text, images are not loaded, and only links
 * to other guide pages or headings stay links (`data-help-page`, `data-help-anchor`): the panel
 * follows those itself, and the webview follows none.
 */
import { Marked, type Tokens } from 'marked';
import index from '../../../../../docs/guide/README.md?raw';
import download from '../../../../../docs/guide/download.md?raw';
import group from '../../../../../docs/guide/group.md?raw';
import groups from '../../../../../docs/guide/groups.md?raw';
import job from '../../../../../docs/guide/job.md?raw';
import jobs from '../../../../../docs/guide/jobs.md?raw';
import review from '../../../../../docs/guide/review.md?raw';
import settings from '../../../../../docs/guide/settings.md?raw';
import signIn from '../../../../../docs/guide/sign-in.md?raw';
import users from '../../../../../docs/guide/users.md?raw';

/** The guide's pages by name (the file name without `.md`). */
export const HELP_PAGES = {
  README: index,
  'sign-in': signIn,
  users,
  groups,
  group,
  jobs,
  job,
  review,
  settings,
  download,
} as const;

/** A page of the guide. */
export type HelpPage = keyof typeof HELP_PAGES;

/** The guide's contents page, shown for a screen without a page of its own. */
export const HELP_INDEX: HelpPage = 'README';

/** Which page each screen shows: its path (as the address bar has it) and its page. */
const SCREENS: [RegExp, HelpPage][] = [
  [/^\/$/, 'sign-in'],
  [/^\/users\/?$/, 'users'],
  [/^\/groups\/?$/, 'groups'],
  [/^\/groups\/[^/]+\/?$/, 'group'],
  [/^\/jobs\/?$/, 'jobs'],
  [/^\/jobs\/view\/?$/, 'job'],
  [/^\/review\/?$/, 'review'],
  [/^\/settings\/?$/, 'settings'],
];

/** The guide page of the screen at `pathname` (`/groups/abc` → `group`); the contents for any other. */
export function helpPageFor(pathname: string): HelpPage {
  return SCREENS.find(([pattern]) => pattern.test(pathname))?.[1] ?? HELP_INDEX;
}

function isHelpPage(name: string): name is HelpPage {
  return Object.hasOwn(HELP_PAGES, name);
}

/** Where a link in the guide goes: another page (and a heading on it), a heading on this page, or out. */
export type HelpTarget =
  | { kind: 'page'; page: HelpPage; anchor: string | null }
  | { kind: 'anchor'; anchor: string }
  | { kind: 'outside'; href: string };

/** The target of a link written in a guide page: `users.md`, `./group.md#limits`, `#limits`, `https://…`. */
export function helpTarget(href: string): HelpTarget {
  const heading = /^#([\w-]+)$/.exec(href);
  if (heading?.[1]) return { kind: 'anchor', anchor: heading[1] };
  const page = /^(?:\.\/)?([\w-]+)\.md(?:#([\w-]+))?$/.exec(href);
  if (page?.[1] && isHelpPage(page[1])) return { kind: 'page', page: page[1], anchor: page[2] ?? null };
  return { kind: 'outside', href };
}

/** A heading's anchor as GitHub makes it ("Where to change a group" → `where-to-change-a-group`). */
export function headingSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The element id of a heading's anchor in the panel (prefixed: the screen behind has ids too). */
export function headingId(anchor: string): string {
  return `help-${anchor}`;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Text as the inline renderer gives it back (escaped HTML), as plain text again. */
function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) =>
    name === 'amp' ? '&' : name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : "'",
  );
}

/** Renders one page; headings get ids, counted per page so that two alike stay apart. */
function renderer(): Marked {
  const seen = new Map<string, number>();
  return new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth }: Tokens.Heading): string {
        const inner = this.parser.parseInline(tokens);
        const plain = unescapeHtml(this.parser.parseInline(tokens, this.parser.textRenderer));
        const base = headingSlug(plain);
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        const anchor = count === 0 ? base : `${base}-${count}`;
        return `<h${depth} id="${headingId(anchor)}" tabindex="-1">${inner}</h${depth}>\n`;
      },
      link({ href, tokens }: Tokens.Link): string {
        const inner = this.parser.parseInline(tokens);
        const target = helpTarget(href);
        if (target.kind === 'page') {
          return `<a href="${escapeHtml(href)}" data-help-page="${target.page}" data-help-anchor="${target.anchor ?? ''}">${inner}</a>`;
        }
        if (target.kind === 'anchor') {
          return `<a href="#${target.anchor}" data-help-anchor="${target.anchor}">${inner}</a>`;
        }
        // Not followed here: an address to open in a browser is shown, a repository path is not.
        return /^https?:\/\//.test(href)
          ? `${inner} <span class="address">(${escapeHtml(href)})</span>`
          : inner;
      },
      image({ text }: Tokens.Image): string {
        return escapeHtml(text);
      },
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(text);
      },
    },
  });
}

const rendered = new Map<HelpPage, string>();

/** The page as HTML (rendered once). */
export function renderHelp(page: HelpPage): string {
  let html = rendered.get(page);
  if (html === undefined) {
    html = renderer().parse(HELP_PAGES[page], { async: false });
    rendered.set(page, html);
  }
  return html;
}

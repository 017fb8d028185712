// The frame of every page and the view of an API problem. Styles and scripts are files under
// /assets (no inline code), so the pages work under a strict Content-Security-Policy.
import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Problem } from './api-client';

export const STYLESHEET = '/assets/app.css';

export type Section = 'explorer' | 'leaderboard' | 'compare' | 'upload' | 'docs' | null;

export const Layout: FC<PropsWithChildren<{ title: string; section?: Section; scripts?: string[] }>> = ({ title, section = null, scripts = [], children }) => (
  <>
    {raw('<!doctype html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · GMAI-MMBench`}</title>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={STYLESHEET} />
        {scripts.map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <nav aria-label="Main">
            <a class="brand" href="/">
              GMAI-MMBench
            </a>
            <NavLink href="/" current={section === 'explorer'}>
              Explorer
            </NavLink>
            <NavLink href="/leaderboard" current={section === 'leaderboard'}>
              Leaderboard
            </NavLink>
            <NavLink href="/compare" current={section === 'compare'}>
              Compare
            </NavLink>
            <NavLink href="/upload" current={section === 'upload'}>
              Score a file
            </NavLink>
            <NavLink href="/docs" current={section === 'docs'}>
              API reference
            </NavLink>
          </nav>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  </>
);

const NavLink: FC<PropsWithChildren<{ href: string; current: boolean }>> = ({ href, current, children }) => (
  <a href={href} aria-current={current ? 'page' : undefined}>
    {children}
  </a>
);

/** An API problem as the API stated it, with every named field, and a way back. */
export const ProblemView: FC<{ problem: Problem; back: { href: string; text: string }; children?: Child }> = ({ problem, back, children }) => (
  <section class="problem" role="alert" aria-labelledby="problem-title">
    <h2 id="problem-title">
      {problem.status} · {problem.title}
    </h2>
    {problem.detail ? <p>{problem.detail}</p> : null}
    {problem.errors?.length ? (
      <ul>
        {problem.errors.map((e) => (
          <li>
            <code>{e.name}</code> {e.reason}
          </li>
        ))}
        {problem.errors_not_listed ? <li>… and {problem.errors_not_listed} more</li> : null}
      </ul>
    ) : null}
    {children}
    <p>
      <a href={back.href}>{back.text}</a>
    </p>
  </section>
);

/** A table's column headings. */
export const ColumnHeads: FC<{ names: readonly string[] }> = ({ names }) => (
  <thead>
    <tr>
      {names.map((name) => (
        <th scope="col">{name}</th>
      ))}
    </tr>
  </thead>
);

export const percent = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`);

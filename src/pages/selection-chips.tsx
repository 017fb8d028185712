// The selection of a page as chips, each with a link to the same page without that value: the
// explorer, the leaderboard, run and compare pages show a selection the same way.
import type { FC } from 'hono/jsx';
import { href, selectionChips } from './selection';

export const SelectionChips: FC<{ page: URLSearchParams; split: string; path: string; hint: string }> = ({ page, split, path, hint }) => {
  const chips = selectionChips(page);
  return (
    <ul class="chips" aria-label="Selection">
      <li class="chip">
        <span>split: {split}</span>
      </li>
      {chips.map((chip) => (
        <li class="chip">
          <span>
            {chip.param}: {chip.value}
          </span>
          <a href={href(path, chip.removeQuery)} aria-label={`Remove ${chip.param} ${chip.value}`}>
            ×
          </a>
        </li>
      ))}
      {chips.length === 0 ? <li class="hint">{hint}</li> : null}
    </ul>
  );
};

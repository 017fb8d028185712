import { describe, expect, it } from 'vitest';
import { href, narrowedQuery, questionsQuery, selectionChips, selectionQuery, treeQuery, withParam } from './selection';

const page = new URLSearchParams('split=val&department=Ophthalmology&department=N%2FA&lexicon=department&cursor=abc&q=optic+disc');

describe('page URL → API queries', () => {
  it('sends the tree everything but the page and paging parameters', () => {
    expect(treeQuery(page).toString()).toBe('split=val&department=Ophthalmology&department=N%2FA&q=optic+disc');
  });

  it('sends the questions the cursor and a page size, unless the URL sets a limit', () => {
    expect(questionsQuery(page, 24).toString()).toBe('split=val&department=Ophthalmology&department=N%2FA&cursor=abc&q=optic+disc&limit=24');
    expect(questionsQuery(new URLSearchParams('split=val&limit=3'), 24).toString()).toBe('split=val&limit=3');
  });

  it('keeps unknown parameters, so the API refuses them by name', () => {
    expect(treeQuery(new URLSearchParams('split=val&colour=red')).toString()).toBe('split=val&colour=red');
  });

  it('gives exports the selection without paging', () => {
    expect(selectionQuery(page).toString()).toBe('split=val&department=Ophthalmology&department=N%2FA&q=optic+disc');
  });
});

describe('links', () => {
  it('makes one chip per value, each removing only itself and restarting paging', () => {
    const chips = selectionChips(page);
    expect(chips.map((c) => `${c.param}=${c.value}`)).toEqual(['department=Ophthalmology', 'department=N/A', 'q=optic disc']);
    expect(chips[1]!.removeQuery.toString()).toBe('split=val&department=Ophthalmology&lexicon=department&q=optic+disc');
  });

  it('narrows to a node by replacing the values of its parameters', () => {
    const narrowed = narrowedQuery(page, [
      ['department', 'Urology'],
      ['modality', 'CT'],
    ]);
    expect(narrowed.toString()).toBe('split=val&lexicon=department&q=optic+disc&department=Urology&modality=CT');
  });

  it('sets or drops one parameter, and leaves a bare path for an empty query', () => {
    expect(withParam(page, 'cursor', null).has('cursor')).toBe(false);
    expect(withParam(new URLSearchParams('split=val'), 'lexicon', 'task').toString()).toBe('split=val&lexicon=task');
    expect(href('/', new URLSearchParams())).toBe('/');
    expect(href('/', new URLSearchParams('a=1'))).toBe('/?a=1');
  });
});

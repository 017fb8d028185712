// GET /questions/:split/:index: one question as the API serves it (answer and label on VAL only,
// because the API gives them on VAL only), with links to its nodes in the explorer.
import type { FC } from 'hono/jsx';
import type { QuestionJson } from '../questions/question-json';
import { filterValue, href } from './selection';

export const QuestionPage: FC<{ q: QuestionJson }> = ({ q }) => {
  const explore = (params: Array<[string, string]>) => href('/', new URLSearchParams([['split', q.split], ...params]));
  const department = filterValue(q.department);
  return (
    <>
      <p class="crumbs">
        <a href={explore([])}>Explorer ({q.split.toUpperCase()})</a>
      </p>
      <h1>
        Question {q.index} <span class="muted">({q.split.toUpperCase()})</span>
      </h1>
      <div class="question-page">
        <figure>
          <img src={q.image.url} width={q.image.width} height={q.image.height} alt={`Question ${q.index}: ${q.modality}`} />
          <figcaption>
            {q.image.width} × {q.image.height} {q.image.content_type}, {(q.image.bytes / 1024).toFixed(1)} KB · <a href={q.image.url}>full image</a>
          </figcaption>
        </figure>
        <div>
          <p class="question">{q.question}</p>
          <ol class="options" aria-label="Options">
            {Object.entries(q.options).map(([letter, text]) => (
              <li class={q.answer === letter ? 'correct' : undefined}>
                <b>{letter}.</b> {text}
                {q.answer === letter ? <strong class="tag"> correct answer</strong> : null}
              </li>
            ))}
          </ol>
          {q.category !== undefined ? (
            <p>
              Label: <a href={explore([['label', q.category ?? '']])}>{q.category ?? '(none)'}</a>
            </p>
          ) : (
            <p class="muted">Answers of {q.split.toUpperCase()} are hidden.</p>
          )}
          <h2>Position in the lexical tree</h2>
          <dl class="position">
            <dt>Clinical VQA task</dt>
            <dd>
              <a href={explore([['task', q.clinical_vqa_task]])}>{q.clinical_vqa_task}</a> ›{' '}
              <a
                href={explore([
                  ['task', q.clinical_vqa_task],
                  ['modality', q.modality],
                ])}
              >
                {q.modality}
              </a>
            </dd>
            <dt>Department</dt>
            <dd>
              <a href={explore([['department', department]])}>{department}</a> ›{' '}
              <a
                href={explore([
                  ['department', department],
                  ['modality', q.modality],
                ])}
              >
                {q.modality}
              </a>
            </dd>
            <dt>Perceptual granularity</dt>
            <dd>
              <a href={explore([['granularity', q.perceptual_granularity]])}>{q.perceptual_granularity}</a> ›{' '}
              <a
                href={explore([
                  ['granularity', q.perceptual_granularity],
                  ['modality', q.modality],
                ])}
              >
                {q.modality}
              </a>
            </dd>
            <dt>Original task</dt>
            <dd>
              <a href={explore([['original_task', q.original_task]])}>{q.original_task}</a>
            </dd>
          </dl>
        </div>
      </div>
      <h2>VLMEvalKit prompt</h2>
      <pre class="prompt">{q.prompt}</pre>
      <p>
        <a href={`/v1/questions/${q.split}/${q.index}`}>This question in the API (JSON)</a>
      </p>
    </>
  );
};

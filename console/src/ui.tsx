/** Shared pieces: headings that take focus, fields with their errors beside them, the error summary, drafts. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from './i18n.js';
import { ProblemError, type FieldError, type Problem } from './client.js';
import { formatOslo } from './time.js';
import { lang } from './i18n.js';

/** The page's h1; takes focus on route change so screen readers announce the new page. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref} id="page-title">
      {children}
    </h1>
  );
}

/** A time in Oslo, labelled as such. */
export function OsloTime({ iso }: { iso?: string }) {
  if (!iso) return <span>–</span>;
  return (
    <time dateTime={iso}>
      {formatOslo(iso, lang.get())} <span class="zone">({t().osloTime})</span>
    </time>
  );
}

export const fieldId = (field: string) => `f-${field.replace(/[^a-zA-Z0-9]+/g, '-')}`;

export function errorFor(errors: FieldError[] | undefined, field: string): string | undefined {
  return errors?.filter((e) => e.field === field || e.field === `body.${field}`).map((e) => e.message).join('; ') || undefined;
}

interface FieldProps {
  name: string;
  /** The control's id, when the form's field name is not unique on the page. */
  id?: string;
  label: string;
  errors?: FieldError[];
  hint?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean; name: string }) => ComponentChildren;
}

/** A label, the control, a hint and the error message beside it (aria-describedby ties them). */
export function Field({ name, id: given, label, errors, hint, children }: FieldProps) {
  const id = given ?? fieldId(name);
  const err = errorFor(errors, name);
  const described = [hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${err ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {err && (
        <p class="error" id={`${id}-error`}>
          {err}
        </p>
      )}
      {children({ id, 'aria-describedby': described, 'aria-invalid': err ? true : undefined, name })}
    </div>
  );
}

/** The summary at the top of a form: every field error as a link to its field; takes focus. */
export function ErrorSummary({ problem }: { problem?: Problem }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem) ref.current?.focus();
  }, [problem]);
  if (!problem) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{problem.errors?.length ? t().errorsTitle : problem.title}</h2>
      {problem.detail && <p>{problem.detail}</p>}
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.field + e.message}>
              <a href={`#${fieldId(e.field.replace(/^body\./, ''))}`} onClick={(ev) => focusField(ev, e.field.replace(/^body\./, ''))}>
                {e.field.replace(/^body\./, '')}: {e.message}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function focusField(ev: Event, field: string) {
  ev.preventDefault();
  const el = document.getElementById(fieldId(field));
  el?.focus();
}

export function toProblem(e: unknown): Problem {
  if (e instanceof ProblemError) return e.problem;
  return { title: (e as Error).message ?? String(e) };
}

/** A status message announced politely. */
export function Notice({ text }: { text?: string }) {
  return (
    <p class={text ? 'notice' : 'sr-only'} role="status">
      {text ?? ''}
    </p>
  );
}

/** Loads once (and again when `deps` change): [data, error, reload]. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [T | undefined, Problem | undefined, () => void] {
  const [data, setData] = useState<T>();
  const [err, setErr] = useState<Problem>();
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && (setData(d), setErr(undefined)),
      (e) => live && setErr(toProblem(e)),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return [data, err, () => setN((x) => x + 1)];
}

/** Form state kept in sessionStorage, so that a sign-in round trip does not lose what was typed. */
export function useDraft<T>(key: string, initial: () => T): [T, (v: T) => void, () => void] {
  const storageKey = `console.draft.${key}`;
  const [value, setValue] = useState<T>(() => {
    const saved = sessionStorage.getItem(storageKey);
    return saved ? (JSON.parse(saved) as T) : initial();
  });
  const set = (v: T) => {
    sessionStorage.setItem(storageKey, JSON.stringify(v));
    setValue(v);
  };
  const clear = () => sessionStorage.removeItem(storageKey);
  return [value, set, clear];
}

export function Loading({ error }: { error?: Problem }) {
  if (error) return <ErrorSummary problem={error} />;
  return <p role="status">{t().loading}</p>;
}

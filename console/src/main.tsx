/** The organiser console: sign-in, the shell (skip link, menu, language switch, sign out) and the routes. */
import { render, type ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { loadConfig } from './config.js';
import { completeSignIn, currentUser, signIn, signOut, type Start } from './auth.js';
import { lang, setLang, t } from './i18n.js';
import { useSignal } from './state.js';
import { match, route } from './router.js';
import { PageTitle } from './ui.js';
import { SeminarEdit, SeminarList, SeminarView } from './pages/seminars.js';
import { Deliveries, Registrants } from './pages/registrants.js';
import { SchemeList, SchemeView } from './pages/schemes.js';
import { People } from './pages/people.js';
import { Audit } from './pages/audit.js';

function Page({ path, flash }: { path: string; flash?: string }) {
  let m: Record<string, string> | undefined;
  if (path === '/' || path === '/seminars') return <SeminarList />;
  if (path === '/seminars/new') return <SeminarEdit />;
  if ((m = match('/seminars/:id/edit', path))) return <SeminarEdit id={m.id} />;
  if ((m = match('/seminars/:id/registrants', path))) return <Registrants id={m.id} />;
  if ((m = match('/seminars/:id', path))) return <SeminarView id={m.id} flash={flash} />;
  if ((m = match('/deliveries/:id', path))) return <Deliveries subject={m.id} />;
  if (path === '/schemes') return <SchemeList />;
  if ((m = match('/schemes/:id', path))) return <SchemeView id={m.id} />;
  if (path === '/people') return <People />;
  if ((m = match('/people/:email', path))) return <People email={m.email} />;
  if (path === '/audit') return <Audit />;
  return <PageTitle>{t().notFound}</PageTitle>;
}

const NAV: Array<[string, () => string]> = [
  ['#/seminars', () => t().seminars],
  ['#/schemes', () => t().schemes],
  ['#/people', () => t().people],
  ['#/audit', () => t().audit],
];

function Shell({ children, signedIn }: { children: ComponentChildren; signedIn: boolean }) {
  const l = useSignal(lang);
  const r = useSignal(route);
  useEffect(() => {
    document.title = `${t().appName}`;
  }, [l, r.path]);
  const section = '#/' + (r.path.split('/')[1] || 'seminars');
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t().skip}
      </a>
      <header class="top">
        <div class="wrap bar">
          <span class="brand">{t().appName}</span>
          {signedIn && (
            <nav aria-label={t().nav}>
              <ul>
                {NAV.map(([href, label]) => (
                  <li key={href}>
                    <a href={href} aria-current={section === href ? 'page' : undefined}>
                      {label()}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <div class="tools">
            <button type="button" class="link" lang={l === 'nb' ? 'en' : 'nb'} aria-label={t().switchLangLabel} onClick={() => setLang(l === 'nb' ? 'en' : 'nb')}>
              {t().switchLang}
            </button>
            {signedIn && (
              <>
                <span class="who">
                  {t().signedInAs} {currentUser()?.email}
                </span>
                <button type="button" class="link" onClick={signOut}>
                  {t().signOut}
                </button>
              </>
            )}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} class="wrap">
        {children}
      </main>
    </>
  );
}

function App({ start }: { start: Start }) {
  const r = useSignal(route);
  useSignal(lang);
  if (start.kind === 'refused')
    return (
      <Shell signedIn={false}>
        <PageTitle>{t().refusedTitle}</PageTitle>
        <p>{t().refusedText(start.user.email)}</p>
        <button type="button" onClick={signOut}>
          {t().signOut}
        </button>
      </Shell>
    );
  if (start.kind !== 'signed-in')
    return (
      <Shell signedIn={false}>
        <PageTitle>{t().signInTitle}</PageTitle>
        <p>{start.kind === 'error' ? start.message : t().signInText}</p>
        <button type="button" onClick={() => signIn()}>
          {t().signIn}
        </button>
      </Shell>
    );
  return (
    <Shell signedIn>
      <Page key={r.path} path={r.path} flash={r.flash} />
    </Shell>
  );
}

async function main() {
  document.documentElement.lang = lang.get();
  const root = document.getElementById('app')!;
  await loadConfig();
  const start = await completeSignIn();
  if (start.kind === 'signed-out') {
    await signIn();
    return;
  }
  if (start.kind === 'signed-in') route.set({ path: location.hash.slice(1) || '/' });
  root.textContent = '';
  render(<App start={start} />, root);
}

main().catch((e: Error) => {
  document.getElementById('app')!.textContent = e.message;
});

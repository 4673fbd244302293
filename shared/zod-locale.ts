/**
 * The schemas use zod/mini: the tree-shakable API, whose schemas carry a handful of methods where
 * classic zod binds dozens to every instance, and whose bundle holds only the checks we use (a third of
 * classic zod's size: every function's cold start parses it). zod/mini has no default locale: this
 * gives it English, the messages classic zod gives (they reach API clients as field errors). Imported
 * for its effect by each module that builds schemas; the messages are chosen when a parse fails.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

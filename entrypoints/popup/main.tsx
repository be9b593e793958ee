// Popup: wiring only; the UI lives in App.
import { render } from 'preact';
import { t, uiLocale } from '@/src/i18n';
import { App } from './App';

document.documentElement.lang = uiLocale() ?? 'en';
document.title = t('ext_name');

const root = document.getElementById('app');
if (root) render(<App />, root);

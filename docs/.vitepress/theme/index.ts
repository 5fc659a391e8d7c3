import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import { h } from 'vue';
import { ApiReferenceLink } from './api-reference-link.js';
import './api-reference-link.css';

/** The default theme, plus a link to the relay's API reference in the top bar and the phone menu. */
export default {
  extends: DefaultTheme,
  Layout: () =>
    h(DefaultTheme.Layout, null, {
      'nav-bar-content-before': () => h(ApiReferenceLink),
      'nav-screen-content-after': () => h(ApiReferenceLink),
    }),
} satisfies Theme;

import { useData } from 'vitepress';
import { defineComponent, h } from 'vue';

/**
 * The link to the relay's API reference (`/docs`, or `themeConfig.apiReferenceUrl`). A nav
 * item would not do: VitePress puts the site's base in front of every path (`/guide/docs`),
 * and the reference is the relay's page, not one of the guide's.
 */
export const ApiReferenceLink = defineComponent({
  name: 'ApiReferenceLink',
  setup() {
    const { theme } = useData<{ apiReferenceUrl: string }>();
    return () =>
      h(
        'a',
        { class: 'api-reference-link', href: theme.value.apiReferenceUrl, target: '_self' },
        'API reference',
      );
  },
});

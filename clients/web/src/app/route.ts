import type { ComponentType, LazyExoticComponent } from 'react';
import type { Role } from '../../../generated/graphql.ts';
import type { common } from '../ui/common.messages.ts';

type NavLabel = Extract<keyof (typeof common)['fr'], `nav${string}`>;

/**
 * One page of the console. Pages are loaded when first visited (the first page's JavaScript stays
 * small). `nav`: listed in the menu for viewers with one of the roles (null: everyone).
 */
export interface ConsoleRoute {
  path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  component: LazyExoticComponent<ComponentType<any>>;
  nav?: { label: NavLabel; roles: readonly Role[] | null };
}

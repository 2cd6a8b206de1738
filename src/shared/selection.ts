/**
 * What a GraphQL query selects, read from its document: for resolvers that load a page and what
 * it shows in one statement (offers, referrals) and need to know what will be shown.
 */
import {
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionNode,
} from 'graphql';

/** Field names selected on a type, through fragments and inline fragments. */
export function fieldsOf(
  selections: readonly SelectionNode[] | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
) {
  const out = new Map<string, FieldNode[]>();
  const walk = (list: readonly SelectionNode[] | undefined) => {
    for (const sel of list ?? []) {
      if (sel.kind === Kind.FIELD) out.set(sel.name.value, [...(out.get(sel.name.value) ?? []), sel]);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet.selections);
      else walk(fragments[sel.name.value]?.selectionSet.selections);
    }
  };
  walk(selections);
  return out;
}

/** The key a field's value has in the response: its alias, or else its name. */
function responseKey(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}

/** The response keys of the fields selected on a type (aliases included), through fragments. */
export function responseKeysOf(
  selections: readonly SelectionNode[],
  fragments: Record<string, FragmentDefinitionNode>,
): Set<string> {
  return new Set([...fieldsOf(selections, fragments).values()].flat().map(responseKey));
}

/** One way down a path of field names: the response keys it takes, and what its last field selects. */
export interface WayDown {
  keys: string[];
  below: readonly SelectionNode[];
}

/**
 * Each way down `path` (field names) through `selections`, through fragments:
 * `edges { node { … } } e: edges { node { … } }` goes down `['edges', 'node']` twice.
 */
export function waysDown(
  path: readonly string[],
  selections: readonly SelectionNode[],
  fragments: Record<string, FragmentDefinitionNode>,
): WayDown[] {
  if (path.length === 0) return [{ keys: [], below: selections }];
  const [name, ...rest] = path;
  return (fieldsOf(selections, fragments).get(name!) ?? []).flatMap((field) =>
    waysDown(rest, field.selectionSet?.selections ?? [], fragments).map((down) => ({
      keys: [responseKey(field), ...down.keys],
      below: down.below,
    })),
  );
}

/** Names of the fields selected under these field nodes, or undefined when there are none. */
export function subFields(nodes: FieldNode[] | undefined, fragments: Record<string, FragmentDefinitionNode>) {
  return nodes
    ? new Set(
        fieldsOf(
          nodes.flatMap((n) => n.selectionSet?.selections ?? []),
          fragments,
        ).keys(),
      )
    : undefined;
}

/** The fields a connection field selects on itself (`totalCount`, `edges`, `pageInfo`), by name. */
export function connectionSelection(info: GraphQLResolveInfo): Map<string, FieldNode[]> {
  return fieldsOf(
    info.fieldNodes.flatMap((f) => f.selectionSet?.selections ?? []),
    info.fragments,
  );
}

/** What a connection field selects on its nodes (`edges { node { … } }`). */
export function connectionNodeSelections(info: GraphQLResolveInfo): SelectionNode[] {
  const edges = connectionSelection(info).get('edges');
  const nodes = fieldsOf(
    edges?.flatMap((e) => e.selectionSet?.selections ?? []),
    info.fragments,
  ).get('node');
  return nodes?.flatMap((n) => n.selectionSet?.selections ?? []) ?? [];
}

/** The fields a connection field selects on its nodes (`edges { node { … } }`), by name. */
export function connectionNodeSelection(info: GraphQLResolveInfo): Map<string, FieldNode[]> {
  return fieldsOf(connectionNodeSelections(info), info.fragments);
}

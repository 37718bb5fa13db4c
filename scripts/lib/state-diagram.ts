import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/**
 * An XState v5 machine as a Mermaid `stateDiagram-v2`, read from the machine's own state nodes (no
 * npm package does this for v5). The output depends only on the definition, in its written order,
 * so a committed diagram can be compared with a fresh one.
 *
 * What Mermaid forces on the shape (checked against Mermaid 11 in a browser):
 * - a state id is global and may not hold '-' or '.', nor be a keyword: every state gets an id made
 *   from its path and a `state "key" as id` label;
 * - an edge written inside a `state { }` block drags the states it names into that block, so the
 *   blocks hold only states, `[*]` edges and notes, and every transition is written after them;
 * - a composite state cannot carry description lines, so its invokes and transitions that change no
 *   state are a note beside it (on a simple state they are description lines).
 */
export function stateDiagram(machine: AnyStateMachine): string {
  const ids = assignIds(machine.root);
  const idOf = (node: AnyStateNode): string => {
    const id = ids.get(node);
    if (id === undefined) throw new Error(`state #${node.id} is not part of machine ${machine.id}`);
    return id;
  };
  const lines = ['stateDiagram-v2'];
  const root = machine.root;
  if (isDrawnAsBox(root)) {
    lines.push(...stateLines(root, idOf, 1), `  [*] --> ${idOf(root)}`);
  } else {
    lines.push(...childLines(root, idOf, 1));
  }
  for (const node of preOrder(root)) {
    // One arrow per source and target: its label lists every trigger that takes it, in the definition's order.
    const arrows = new Map<AnyStateNode, string[]>();
    for (const edge of transitionsOf(node)) {
      for (const target of edge.targets) arrows.set(target, [...(arrows.get(target) ?? []), edge.label]);
    }
    for (const [target, labels] of arrows) lines.push(`  ${idOf(node)} --> ${idOf(target)} : ${labels.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The root is a box of its own only when there is something to draw on it. */
function isDrawnAsBox(root: AnyStateNode): boolean {
  return root.type === 'parallel' || root.invoke.length > 0 || transitionsOf(root).length > 0;
}

/** Mermaid keywords that its lexer takes even where an id is expected (case-insensitive). */
const mermaidKeywords = new Set(['class', 'classdef', 'default', 'note', 'scale', 'state', 'style']);

function assignIds(root: AnyStateNode): Map<AnyStateNode, string> {
  const ids = new Map<AnyStateNode, string>();
  const used = new Set<string>();
  for (const node of preOrder(root)) {
    const path = node.path.length > 0 ? node.path : [node.machine.id];
    let base = path.join('_').replace(/[^A-Za-z0-9_]/g, '_');
    if (/^[0-9]/.test(base)) base = `s_${base}`;
    if (mermaidKeywords.has(base.toLowerCase())) base = `${base}_`;
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}_${n}`;
    used.add(id);
    ids.set(node, id);
  }
  return ids;
}

function* preOrder(node: AnyStateNode): Generator<AnyStateNode> {
  yield node;
  for (const child of children(node)) yield* preOrder(child);
}

function children(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states);
}

/** The declaration of one state, its contents if it has any, and what is written beside it. */
function stateLines(node: AnyStateNode, idOf: (node: AnyStateNode) => string, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const id = idOf(node);
  const label = node.type === 'history' ? (node.history === 'deep' ? 'H*' : 'H') : node.path.length > 0 ? node.key : node.machine.id;
  const notes = [
    ...node.invoke.map((invoke) => `invoke ${actorName(invoke)}`),
    ...transitionsOf(node).filter((edge) => edge.targets.length === 0).map((edge) => `${edge.label} (stays)`),
  ];
  if (children(node).length === 0) {
    const lines = [`${pad}state "${text(label)}" as ${id}`, ...notes.map((note) => `${pad}${id} : ${note}`)];
    if (node.type === 'final') lines.push(`${pad}${id} --> [*]`);
    return lines;
  }
  const lines = [`${pad}state "${text(label)}" as ${id} {`, ...childLines(node, idOf, depth + 1), `${pad}}`];
  if (notes.length > 0) lines.push(`${pad}note right of ${id}`, ...notes.map((note) => `${pad}  ${note}`), `${pad}end note`);
  return lines;
}

/** Inside a compound state: its initial state and its children; inside a parallel one: its regions, split by `--`. */
function childLines(node: AnyStateNode, idOf: (node: AnyStateNode) => string, depth: number): string[] {
  const pad = '  '.repeat(depth);
  if (node.type === 'parallel') {
    return children(node).flatMap((region, i) => [...(i > 0 ? [`${pad}--`] : []), ...stateLines(region, idOf, depth)]);
  }
  const initial = node.initial.target.map((target) => `${pad}[*] --> ${idOf(target)}`);
  return [...initial, ...children(node).flatMap((child) => stateLines(child, idOf, depth))];
}

interface Edge {
  readonly label: string;
  /** Empty for a transition that runs its actions and changes no state. */
  readonly targets: readonly AnyStateNode[];
}

/** Every transition leaving the node, in the order the definition gives them (the order guards are tried in). */
function transitionsOf(node: AnyStateNode): Edge[] {
  const edges: Edge[] = [];
  for (const [descriptor, transitions] of node.transitions) {
    for (const transition of transitions) edges.push(edge(trigger(node, descriptor, transition), transition));
  }
  for (const transition of node.always ?? []) edges.push(edge('always', transition));
  return edges;
}

function edge(trigger: string, transition: AnyTransitionDefinition): Edge {
  const guard = transition.guard === undefined ? '' : ` [${guardName(transition.guard)}]`;
  return { label: text(`${trigger}${guard}`), targets: transition.target ?? [] };
}

/** What fires the transition, in the words of the definition: the event, the named delay, the invoked actor. */
function trigger(node: AnyStateNode, descriptor: string, transition: AnyTransitionDefinition): string {
  if ('delay' in transition) return `after ${delayName(transition.delay)}`;
  if (descriptor === `xstate.done.state.${node.id}`) return 'onDone';
  for (const invoke of node.invoke) {
    if (descriptor === `xstate.done.actor.${invoke.id}`) return `onDone ${actorName(invoke)}`;
    if (descriptor === `xstate.error.actor.${invoke.id}`) return `onError ${actorName(invoke)}`;
    if (descriptor === `xstate.snapshot.${invoke.id}`) return `onSnapshot ${actorName(invoke)}`;
  }
  return descriptor;
}

function delayName(delay: unknown): string {
  if (typeof delay === 'string') return delay;
  if (typeof delay === 'number') return `${delay}ms`;
  return 'a computed delay';
}

/** The actor's name in `setup({ actors })`; an inline actor has only its invoke id, when one was given. */
function actorName(invoke: { readonly id: string; readonly src: unknown }): string {
  const src = String(invoke.src);
  if (!src.startsWith('xstate.invoke.')) return src;
  return src === `xstate.invoke.${invoke.id}` ? 'inline actor' : invoke.id;
}

/** A guard as written: a name, a name with its parameter, or `and`/`or`/`not` of those. */
function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const combined = guard as { check?: unknown; guards?: unknown[]; stateValue?: unknown; name: string };
    if (combined.check !== undefined && Array.isArray(combined.guards)) {
      const parts = combined.guards.map(guardName);
      if (combined.name === 'not') return `!${parts.join('')}`;
      return `(${parts.join(combined.name === 'and' ? ' && ' : ' || ')})`;
    }
    if (combined.check !== undefined && combined.name === 'stateIn') return `in(${typeof combined.stateValue === 'string' ? combined.stateValue : JSON.stringify(combined.stateValue)})`;
    return combined.name !== '' && combined.name !== 'guard' ? combined.name : 'inline guard';
  }
  if (typeof guard === 'object' && guard !== null && 'type' in guard) {
    const { type, params } = guard as { type: unknown; params?: unknown };
    const shown = typeof params === 'string' || typeof params === 'number' || typeof params === 'boolean' ? `(${String(params)})` : '';
    return `${String(type)}${shown}`;
  }
  return 'guard';
}

/**
 * Labels are kept to characters Mermaid reads as text: ';' ends a statement, '#' and '%%' start a
 * comment, '"' closes a label and '<' '>' '{' '}' are markup or blocks.
 */
function text(label: string): string {
  return label.replace(/[^A-Za-z0-9 _\-.:,()[\]!&|*'/=+$@]/g, '_');
}

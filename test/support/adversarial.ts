// Crafted documents that aim at the cost classes random fuzzing does not reach: super-linear
// regular expressions, scans that are quadratic in the input, memory a parser allocates before a
// limit applies, and recursion depth. Each shape takes a size so that tests can use a neighbour of
// the shape at a size that still ruins an unbounded implementation, and the bench can use the size
// from the report (issue 9). Every shape names a probe position (0-based line/character) where a
// completion and a hover are asked.

export interface Shape {
  name: string;
  /** What the shape aims at. */
  aim: string;
  text: string;
  probe: { line: number; character: number };
}

const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: crafted\n';

/** An unclosed flow collection followed by many blank lines and then more content: the YAML errors
 * all point near the end, and each one used to run a regex over the whole document. */
export function unclosedFlowBlankLines(blankLines = 2000): Shape {
  const text = `${HEAD}data: [a, b\n${'  \n'.repeat(blankLines)}x: 1\n`;
  return {
    name: 'unclosed flow + blank lines',
    aim: 'syntax error mapping (regex per error)',
    text,
    probe: { line: 4, character: 8 },
  };
}

/** One broken line repeated until the document reaches `bytes`: thousands of YAML errors. */
export function repeatedBrokenLine(bytes = 200_000): Shape {
  const line = '- a: b: c\n';
  const text = HEAD + line.repeat(Math.ceil(bytes / line.length));
  return {
    name: 'repeated broken line',
    aim: 'per-error cost, number of errors reported',
    text,
    probe: { line: 5, character: 3 },
  };
}

/** Blank lines and no `apiVersion`: the Helm check searched for `^\s*apiVersion:` line by line. */
export function blankLinesNoApiVersion(lines = 100_000): Shape {
  const text = `kind: ConfigMap\n${'\n'.repeat(lines)}data:\n  a: {{ .Values.x }}\n`;
  return {
    name: 'blank lines without apiVersion',
    aim: 'Helm check (multiline regex)',
    text,
    probe: { line: lines + 2, character: 2 },
  };
}

/** One long line of `${{` (GitHub Actions style braces) in a manifest: one scan per `{{`. */
export function dollarBracesLine(bytes = 230_000): Shape {
  const text = `${HEAD}data:\n  run: ${'${{'.repeat(Math.ceil(bytes / 3))} }}\n`;
  return {
    name: 'long line of ${{',
    aim: 'Helm check (scan per {{)',
    text,
    probe: { line: 5, character: 4 },
  };
}

/** A key followed by a long run of spaces and no colon, then a key being typed under it: the
 * completion key regexes backtracked on such lines. */
export function longLineOfSpaces(spaces = 100_000): Shape {
  const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: crafted\n  a${' '.repeat(spaces)}\nspec:\n  ty\n`;
  return {
    name: 'long line of spaces (completion)',
    aim: 'completion key regex',
    text,
    probe: { line: 6, character: 4 },
  };
}

/** A flow sequence of many small items on one line (4.8 MB at the default size). */
export function hugeFlowSequence(items = 2_500_000): Shape {
  const text = `${HEAD}data:\n  items: [${'1,'.repeat(items - 1)}1]\n`;
  return {
    name: 'huge flow sequence',
    aim: 'parser memory (node count)',
    text,
    probe: { line: 2, character: 4 },
  };
}

/** A block map with many keys (duplicate-key checks compare each key with all earlier ones). */
export function manyKeys(keys = 100_000): Shape {
  const lines: string[] = [];
  for (let i = 0; i < keys; i++) lines.push(`  k${i}: v`);
  const text = `${HEAD}data:\n${lines.join('\n')}\n`;
  return {
    name: 'block map with many keys',
    aim: 'duplicate-key check, node count',
    text,
    probe: { line: 6, character: 4 },
  };
}

/** `[[[[…` nested `depth` deep. */
export function deepFlow(depth = 100_000): Shape {
  const text = `${HEAD}data:\n  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
  return { name: 'deep flow nesting', aim: 'parser recursion depth', text, probe: { line: 5, character: 6 } };
}

/** `- - - - …` nested `depth` deep on one line. */
export function deepDashes(depth = 100_000): Shape {
  const text = `${HEAD}data:\n  x:\n${'- '.repeat(depth)}x\n`;
  return {
    name: 'deep block sequence (- - -)',
    aim: 'parser recursion depth',
    text,
    probe: { line: 6, character: 2 },
  };
}

/** Block maps nested `depth` deep, each one space further in (the text grows with depth²). */
export function deepBlockMaps(depth = 3000): Shape {
  const lines: string[] = [];
  for (let i = 0; i < depth; i++) lines.push(`${' '.repeat(i + 2)}k${i}:`);
  const text = `${HEAD}data:\n${lines.join('\n')} v\n`;
  return {
    name: 'deep block maps',
    aim: 'parser recursion depth, indentation scans',
    text,
    probe: { line: 6, character: 4 },
  };
}

/** One very long line holding a single plain scalar with no colon. */
export function longPlainLine(bytes = 2_000_000): Shape {
  const text = `${HEAD}data:\n  blob: ${'ab '.repeat(Math.ceil(bytes / 3))}\n`;
  return {
    name: 'long plain line',
    aim: 'per-line scans, hover/completion on a long line',
    text,
    probe: { line: 5, character: 100_000 },
  };
}

/** Many lines with one YAML error each (an unterminated quote per line). */
export function manyErrors(lines = 50_000): Shape {
  const text =
    HEAD + 'data:\n' + Array.from({ length: lines }, (_, i) => `  k${i}: "open\n  ]`).join('\n') + '\n';
  return {
    name: 'many syntax errors',
    aim: 'number of errors reported, per-error cost',
    text,
    probe: { line: 6, character: 3 },
  };
}

/** Billion laughs: each level's anchor holds ten aliases of the previous level. */
export function aliasBomb(levels = 30): Shape {
  const lines = [HEAD.trimEnd(), 'data:', '  a0: &a0 "lol"'];
  for (let i = 1; i <= levels; i++)
    lines.push(`  a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return {
    name: 'alias bomb',
    aim: 'alias expansion',
    text: lines.join('\n') + '\n',
    probe: { line: 7, character: 4 },
  };
}

/** Nothing but document markers: one empty document per line (a million at the default size). */
export function manyDocuments(count = 1_000_000): Shape {
  return {
    name: 'many empty documents',
    aim: 'documents per file',
    text: '---\n'.repeat(count),
    probe: { line: 5, character: 0 },
  };
}

/** Random bytes with NULs (a deterministic generator). */
export function binaryJunk(bytes = 200_000, seed = 7): Shape {
  let s = seed;
  const chars: string[] = [];
  for (let i = 0; i < bytes; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    chars.push(String.fromCharCode(s % 256));
  }
  return {
    name: 'binary junk',
    aim: 'binary detection',
    text: chars.join(''),
    probe: { line: 0, character: 3 },
  };
}

/** Many Ingresses for one host and path, each with its Service: cross-resource comparisons. */
export function sameHost(count = 2000): Shape {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web-${i}
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web-${i}
            port:
              number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web-${i}
spec:
  selector:
    app: web
  ports:
  - port: 80
`);
  }
  return {
    name: 'many resources, same host',
    aim: 'cross-resource rules (pairs)',
    text: docs.join('---\n'),
    probe: { line: 10, character: 20 },
  };
}

/** Many NetworkPolicies and Deployments that all select the same pods. */
export function sameSelector(count = 2000): Shape {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-${i}
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: web
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
`);
  }
  return {
    name: 'many resources, same selector',
    aim: 'selector matching (pairs)',
    text: docs.join('---\n'),
    probe: { line: 7, character: 8 },
  };
}

/** Many Services, each selecting the pods of its own Deployment, all in one namespace: a rule that
 * looks at every workload of a Service's namespace for each Service is quadratic here. */
export function servicesAndWorkloads(count = 2000): Shape {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
spec:
  selector:
    app: app-${i}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports:
        - containerPort: 8080
`);
  }
  return {
    name: 'many Services and Deployments, one namespace',
    aim: 'per-namespace scans (pairs)',
    text: docs.join('---\n'),
    probe: { line: 6, character: 10 },
  };
}

/** Many Services without a selector, each with its own EndpointSlice (labelled with the Service's
 * name), all in one namespace: a rule that looks at every EndpointSlice of a Service's namespace for
 * each Service is quadratic here. The slice of Service no. `misnamed` names its port `web` where the
 * Service says `http`. */
export function servicesAndEndpointSlices(count = 3000, misnamed = -1): Shape {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
spec:
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: svc-${i}-abc
  labels:
    kubernetes.io/service-name: svc-${i}
addressType: IPv4
ports:
- name: ${i === misnamed ? 'web' : 'http'}
  port: 8080
  protocol: TCP
endpoints:
- addresses:
  - 10.0.${i >> 8}.${(i & 255) + 1}
`);
  }
  return {
    name: 'many Services and EndpointSlices, one namespace',
    aim: 'per-namespace scans (pairs)',
    text: docs.join('---\n'),
    probe: { line: 6, character: 10 },
  };
}

/** Many egress NetworkPolicies and as many Pods in one namespace: with `selectAll`, every policy
 * selects every pod (an empty podSelector); without, each selects pods that the workspace does not
 * hold. None lets its pods reach DNS. A rule that goes through every pod, or asks about every other
 * policy, for each policy is quadratic here. */
export function egressPolicies(count = 2000, selectAll = true): Shape {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress-${i}
spec:
  podSelector:${selectAll ? ' {}' : `\n    matchLabels:\n      app: gone-${i}`}
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector:
        matchLabels:
          app: db
    ports:
    - port: 5432
---
apiVersion: v1
kind: Pod
metadata:
  name: pod-${i}
  labels:
    app: web-${i}
spec:
  containers:
  - name: web
    image: nginx:1.27
`);
  }
  return {
    name: `many egress policies${selectAll ? ' selecting every pod' : ' selecting no pod'}`,
    aim: 'policy and pod pairs',
    text: docs.join('---\n'),
    probe: { line: 6, character: 4 },
  };
}

/** Every shape at the size of the report (the bench) or at `scale` of it (neighbours). */
export function allShapes(scale = 1): Shape[] {
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  return [
    unclosedFlowBlankLines(n(2000)),
    repeatedBrokenLine(n(200_000)),
    blankLinesNoApiVersion(n(100_000)),
    dollarBracesLine(n(230_000)),
    longLineOfSpaces(n(100_000)),
    hugeFlowSequence(n(2_500_000)),
    manyKeys(n(100_000)),
    deepFlow(n(100_000)),
    deepDashes(n(100_000)),
    deepBlockMaps(n(3000)),
    longPlainLine(n(2_000_000)),
    manyErrors(n(50_000)),
    manyDocuments(n(1_000_000)),
    aliasBomb(Math.max(3, n(30))),
    binaryJunk(n(200_000)),
    sameHost(n(2000)),
    sameSelector(n(2000)),
    // the cross-resource rules' per-namespace scans, at the sizes the last measurements used (2.5 MB,
    // 1.1 MB and 0.7 MB: under the 5 MB file limit)
    servicesAndWorkloads(n(6000)),
    servicesAndEndpointSlices(n(3000)),
    egressPolicies(n(2000)),
  ];
}

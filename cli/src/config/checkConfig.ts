import { ccxtLeverageProblem, ccxtVenueProblem, CREDENTIAL_FIELDS, CREDENTIALS, neededCredentials } from '@crossvenue/connectors';
import { parseArbitrageWorkerSettings, parseFollower, parseRiskLimits, type ArbitrageWorkerSettings } from '@crossvenue/processors';
import { InvalidInputError } from '@crossvenue/schemas';
import { DEMO_SYMBOLS, DEMO_VENUES } from '../demoVenues.ts';
import { BUILTIN_STRATEGIES, strategyModuleProblem } from '../strategy/loadStrategy.ts';
import { accountKey, type AccountConfig, type ArbitrageConfig, type Config, type PortfolioConfig, type StrategyConfig, type VenueConfig } from './Config.ts';
import { configPath, type PathSegment } from './configPath.ts';
import { metricsPortRange, simulatorPorts } from './planWorkers.ts';
import { replicaProblem } from './replicas.ts';
import type { Problem } from './schemaProblems.ts';

/**
 * What the schema cannot see: whether the parts of a config agree (an account's venue and
 * portfolio exist, ids are unique, a simulated venue is one the simulated-venue worker serves,
 * ports do not collide) and whether what it asks for can run today. `base` is the folder the
 * file's relative paths start from. A field the schema already
 * found wrong is not looked at again, so each mistake is one line.
 */
export function checkConfig(data: Config, schemaProblems: readonly Problem[], base: string): Problem[] {
  const problems: Problem[] = [];
  const report = (at: PathSegment[], what: string) => problems.push({ at, line: `${configPath(...at)}: ${what}` });
  const isPrefix = (prefix: PathSegment[], of: PathSegment[]) => prefix.length <= of.length && prefix.every((segment, i) => segment === of[i]);
  /** The value at `at`, when the schema found nothing wrong there or above (so it has its declared type). */
  const value = <T>(at: PathSegment[]): T | undefined => {
    if (schemaProblems.some((problem) => isPrefix(problem.at, at))) return undefined;
    let node: unknown = data;
    for (const segment of at) node = (node as Record<PathSegment, unknown> | undefined)?.[segment];
    return node as T | undefined;
  };
  /** Whether every item of a list has a readable id: only then is a reference to an id not among them a mistake of its own. */
  const allIds = (list: string, ...fields: string[]) => {
    const items = value<unknown[]>([list]);
    return items !== undefined && items.every((_, i) => fields.every((field) => value([list, i, field]) !== undefined));
  };
  const cleanWithin = (at: PathSegment[]) => !schemaProblems.some((problem) => isPrefix(problem.at, at) || isPrefix(at, problem.at));

  // Venues: unique ids; simulated ones are the demo venues; the ccxt venue can run as set.
  const venueIndex = new Map<string, number>();
  (value<VenueConfig[]>(['venues']) ?? []).forEach((_, i) => {
    const id = value<string>(['venues', i, 'id']);
    if (id !== undefined) {
      const first = venueIndex.get(id);
      if (first !== undefined) report(['venues', i, 'id'], `"${id}" is also venues[${first}].id`);
      else venueIndex.set(id, i);
    }
    const ccxt = value<string>(['venues', i, 'ccxt']);
    const simulated = value<boolean>(['venues', i, 'simulated']) === true;
    const urls = value<VenueConfig['urls']>(['venues', i, 'urls']);
    const demo = DEMO_VENUES.find((plan) => plan.name === id);
    if (simulated) {
      if (id !== undefined && !demo) report(['venues', i, 'id'], `the simulated-venue worker serves ${DEMO_VENUES.map((plan) => plan.name).join(', ')}, not "${id}"`);
      if (demo && ccxt !== undefined && ccxt !== demo.dialect) report(['venues', i, 'ccxt'], `${demo.name} speaks ${demo.dialect}, not "${ccxt}"`);
      if (urls) report(['venues', i, 'urls'], 'a simulated venue is reached at simulator.port; leave its URLs out');
    }
    if (ccxt !== undefined && !(simulated && demo && ccxt !== demo.dialect)) {
      const problem = ccxtVenueProblem({ ccxtId: ccxt, sandbox: value<boolean>(['venues', i, 'sandbox']) === true, simulated: simulated || urls !== undefined });
      if (problem) report(['venues', i, problem.on === 'ccxtId' ? 'ccxt' : 'sandbox'], problem.reason);
    }
  });
  const simulatedVenues = (value<VenueConfig[]>(['venues']) ?? []).filter((venue) => venue?.simulated === true).map((venue) => venue.id);
  if (data?.simulator !== undefined && simulatedVenues.length === 0) report(['simulator'], 'no venue is simulated (simulated: true), so no simulated-venue worker runs');

  // Portfolios: unique ids; one per config today; limits as the execution worker parses them.
  const portfolioIds = new Map<string, number>();
  (value<PortfolioConfig[]>(['portfolios']) ?? []).forEach((_, i) => {
    const id = value<string>(['portfolios', i, 'id']);
    const first = id === undefined ? undefined : portfolioIds.get(id);
    if (first !== undefined) report(['portfolios', i, 'id'], `"${id}" is also portfolios[${first}].id`);
    else if (id !== undefined) portfolioIds.set(id, i);
    if (i === 1) report(['portfolios', i], 'one portfolio per config today: the router routes every intent over all its accounts and the execution worker applies one set of limits to every portfolio');
    const risk: PathSegment[] = ['portfolios', i, 'risk'];
    const line = cleanWithin(risk) ? riskProblem(value(risk), configPath(...risk)) : undefined;
    if (line) problems.push({ at: risk, line });
  });

  /** Credentials named in the config are exactly those the venue's ccxt class signs with (a secrets file is checked when it is read). */
  const credentialProblems = (i: number, venueAt: number | undefined) => {
    const named = value<Record<string, string>>(['accounts', i, 'credentials', 'env']);
    const ccxt = venueAt === undefined ? undefined : value<string>(['venues', venueAt, 'ccxt']);
    if (named === undefined || ccxt === undefined) return;
    const needed = neededCredentials(ccxt);
    if (needed.length === 0) return; // not a ccxt venue: its own line says so
    for (const field of CREDENTIAL_FIELDS) {
      const at: PathSegment[] = ['accounts', i, 'credentials', 'env', field];
      if (needed.includes(field) && named[field] === undefined) report(at, `missing: ${ccxt} needs its ${CREDENTIALS[field].label}`);
      if (!needed.includes(field) && named[field] !== undefined) report(at, `${ccxt} takes no ${CREDENTIALS[field].label}`);
    }
  };

  // Accounts: known venue and portfolio; each (venue, account) once, so in exactly one portfolio:
  // its connector runs for one PORTFOLIO and its orders, fills and limits are that portfolio's.
  const accountIndex = new Map<string, { index: number; portfolio: string | undefined }>();
  (value<AccountConfig[]>(['accounts']) ?? []).forEach((_, i) => {
    const venue = value<string>(['accounts', i, 'venue']);
    const account = value<string>(['accounts', i, 'account']);
    const portfolio = value<string>(['accounts', i, 'portfolio']);
    if (venue !== undefined && allIds('venues', 'id') && !venueIndex.has(venue)) report(['accounts', i, 'venue'], `unknown venue "${venue}"`);
    if (portfolio !== undefined && allIds('portfolios', 'id') && !portfolioIds.has(portfolio)) report(['accounts', i, 'portfolio'], `unknown portfolio "${portfolio}"`);
    credentialProblems(i, venue === undefined ? undefined : venueIndex.get(venue));
    if (venue === undefined || account === undefined) return;
    const key = accountKey({ venue, account });
    const first = accountIndex.get(key);
    if (first !== undefined) report(['accounts', i], `${key}${inPortfolio(portfolio)} is also accounts[${first.index}]${inPortfolio(first.portfolio)}; an account is listed once, in exactly one portfolio`);
    else accountIndex.set(key, { index: i, portfolio });
  });

  // A venue nobody trades on would run nothing: a leftover or a typo in an account's venue.
  if (allIds('accounts', 'venue')) {
    const traded = new Set((value<AccountConfig[]>(['accounts']) ?? []).map((account) => account.venue));
    for (const [id, i] of venueIndex) if (!traded.has(id)) report(['venues', i], `no account is on ${id}`);
  }

  // Per-account limits name accounts of their own portfolio.
  (value<PortfolioConfig[]>(['portfolios']) ?? []).forEach((_, i) => {
    const id = value<string>(['portfolios', i, 'id']);
    for (const key of Object.keys(value<Record<string, unknown>>(['portfolios', i, 'risk', 'accounts']) ?? {})) {
      const account = accountIndex.get(key);
      if (!account) {
        if (allIds('accounts', 'venue', 'account')) report(['portfolios', i, 'risk', 'accounts', key], `unknown account "${key}"`);
      } else if (id !== undefined && account.portfolio !== undefined && account.portfolio !== id) report(['portfolios', i, 'risk', 'accounts', key], `${key} belongs to portfolio "${account.portfolio}"`);
    }
  });

  // Router: known accounts, each once; symbols the simulated venues trade.
  const routed = value<string[]>(['router', 'accounts']);
  routed?.forEach((key, j) => {
    if (value(['router', 'accounts', j]) === undefined) return;
    const first = routed.indexOf(key);
    if (first !== j) report(['router', 'accounts', j], `"${key}" is also router.accounts[${first}]`);
    else if (allIds('accounts', 'venue', 'account') && !accountIndex.has(key)) report(['router', 'accounts', j], `unknown account "${key}"`);
  });
  const symbols = value<string[]>(['router', 'symbols']);
  symbols?.forEach((symbol, j) => {
    if (value(['router', 'symbols', j]) === undefined) return;
    const first = symbols.indexOf(symbol);
    if (first !== j) report(['router', 'symbols', j], `"${symbol}" is also router.symbols[${first}]`);
    else if (simulatedVenues.length > 0 && !DEMO_SYMBOLS.includes(symbol)) report(['router', 'symbols', j], `"${symbol}" is not traded on the simulated venues (${DEMO_SYMBOLS.join(', ')})`);
  });

  // Strategies: unique names, a portfolio of the file, a module that is there; a built-in one's
  // settings as its factory reads them, and instruments the router routes (a module's own are
  // checked when its worker starts).
  const strategyNames = new Map<string, number>();
  (value<StrategyConfig[]>(['strategies']) ?? []).forEach((_, i) => {
    const name = value<string>(['strategies', i, 'name']);
    const first = name === undefined ? undefined : strategyNames.get(name);
    if (first !== undefined) report(['strategies', i, 'name'], `"${name}" is also strategies[${first}].name`);
    else if (name !== undefined) strategyNames.set(name, i);
    const portfolio = value<string>(['strategies', i, 'portfolio']);
    if (portfolio !== undefined && allIds('portfolios', 'id') && !portfolioIds.has(portfolio)) report(['strategies', i, 'portfolio'], `unknown portfolio "${portfolio}"`);
    const module = value<string>(['strategies', i, 'module']);
    if (module === undefined) return;
    const problem = strategyModuleProblem(module, base);
    if (problem) return report(['strategies', i, 'module'], problem);
    const factory = BUILTIN_STRATEGIES[module];
    const settings = value<Record<string, unknown>>(['strategies', i, 'settings']);
    if (!factory || !cleanWithin(['strategies', i, 'settings'])) return;
    try {
      const strategy = factory(settings ?? {});
      const routed = value<string[]>(['router', 'symbols']);
      const unrouted = routed === undefined ? [] : strategy.instruments.filter((instrument) => !routed.includes(instrument));
      if (unrouted.length > 0) report(['strategies', i, 'settings'], `${unrouted.join(', ')} not in router.symbols, so its orders could not be routed`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      // The factory's own line names the setting: `strategy settings clip: …` → strategies[i].settings.clip: …
      const [, field, what] = /^strategy settings(?: (\w+))?: (.*)$/s.exec(error.message) ?? [undefined, undefined, error.message];
      report(['strategies', i, 'settings', ...(field ? [field] : [])], what!);
    }
  });

  // Followers: unique names; leader and follower accounts of this file (the follower's in its
  // portfolio); the rest (sizing and its amount, instrument rules, leverage, a follower copying its
  // own account) as the synchronizer reads it, so the worker never starts on a follower it would
  // refuse; a leverage only where the follower venue's ccxt class can set it.
  const followerNames = new Map<string, number>();
  (value<Array<Record<string, unknown>>>(['followers']) ?? []).forEach((_, i) => {
    const name = value<string>(['followers', i, 'name']);
    const first = name === undefined ? undefined : followerNames.get(name);
    if (first !== undefined) report(['followers', i, 'name'], `"${name}" is also followers[${first}].name`);
    else if (name !== undefined) followerNames.set(name, i);
    const leader = value<{ venue: string; account: string }>(['followers', i, 'leader']);
    if (leader && allIds('accounts', 'venue', 'account') && !accountIndex.has(accountKey(leader))) report(['followers', i, 'leader'], `unknown account "${accountKey(leader)}"`);
    const venue = value<string>(['followers', i, 'venue']);
    const account = value<string>(['followers', i, 'account']);
    const portfolio = value<string>(['followers', i, 'portfolio']);
    if (venue !== undefined && account !== undefined && allIds('accounts', 'venue', 'account')) {
      const known = accountIndex.get(accountKey({ venue, account }));
      if (!known) report(['followers', i, 'account'], `unknown account "${accountKey({ venue, account })}"`);
      else if (portfolio !== undefined && known.portfolio !== undefined && known.portfolio !== portfolio) report(['followers', i, 'portfolio'], `${accountKey({ venue, account })} belongs to portfolio "${known.portfolio}"`);
    }
    if (!cleanWithin(['followers', i])) return;
    try {
      const { leverage } = parseFollower(value(['followers', i]), `followers[${i}]`);
      const ccxt = (value<VenueConfig[]>(['venues']) ?? []).find((candidate) => candidate?.id === venue)?.ccxt;
      const problem = leverage !== null && ccxt !== undefined ? ccxtLeverageProblem(ccxt) : undefined;
      if (problem) report(['followers', i, 'leverage'], problem);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      // parseFollower names the field: `followers[0].sizing.ratio: …`.
      problems.push({ at: ['followers', i], line: error.message });
    }
  });

  // Arbitrage: unique names, a portfolio of the file; its settings as the worker reads them, then
  // venues it can trade (a venue of the file where its portfolio has an account: its legs are that
  // portfolio's intents on that venue) and an instrument the router routes.
  const arbitrageNames = new Map<string, number>();
  (value<ArbitrageConfig[]>(['arbitrage']) ?? []).forEach((_, i) => {
    const name = value<string>(['arbitrage', i, 'name']);
    const first = name === undefined ? undefined : arbitrageNames.get(name);
    if (first !== undefined) report(['arbitrage', i, 'name'], `"${name}" is also arbitrage[${first}].name`);
    else if (name !== undefined) arbitrageNames.set(name, i);
    const portfolio = value<string>(['arbitrage', i, 'portfolio']);
    if (portfolio !== undefined && allIds('portfolios', 'id') && !portfolioIds.has(portfolio)) report(['arbitrage', i, 'portfolio'], `unknown portfolio "${portfolio}"`);
    const at: PathSegment[] = ['arbitrage', i, 'settings'];
    if (!cleanWithin(at)) return;
    let parsed: ArbitrageWorkerSettings;
    try {
      parsed = parseArbitrageWorkerSettings(value<Record<string, unknown>>(at)!, configPath(...at));
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      // The parser names the key: `arbitrage[0].settings.minEdgeBps: …`.
      return void problems.push({ at, line: error.message });
    }
    // Where it trades: each venue with its instrument, and where the config file says each.
    const places =
      parsed.kind === 'FUNDING'
        ? parsed.settings.places.map(({ venue, instrument }, j) => ({ venue, instrument, venueAt: [...at, 'places', j, 'venue'], instrumentAt: [...at, 'places', j, 'instrument'] }))
        : parsed.settings.venues.map((venue, j) => ({ venue, instrument: parsed.settings.instrument, venueAt: [...at, 'venues', j], instrumentAt: [...at, 'instrument'] }));
    const routedAccounts = value<string[]>(['router', 'accounts']);
    const tradesOn = (venue: string) =>
      (value<AccountConfig[]>(['accounts']) ?? []).some((account) => account.venue === venue && account.portfolio === portfolio && (routedAccounts?.includes(accountKey(account)) ?? true));
    const routed = value<string[]>(['router', 'symbols']);
    const instrumentsChecked = new Set<string>();
    for (const { venue, instrument, venueAt, instrumentAt } of places) {
      if (allIds('venues', 'id') && !venueIndex.has(venue)) report(venueAt, `unknown venue "${venue}"`);
      else if (portfolio !== undefined && portfolioIds.has(portfolio) && allIds('accounts', 'venue', 'account', 'portfolio') && !tradesOn(venue)) report(venueAt, `portfolio "${portfolio}" has no account on ${venue} that the router routes to`);
      const where = configPath(...instrumentAt);
      if (routed !== undefined && !routed.includes(instrument) && !instrumentsChecked.has(where)) report(instrumentAt, `${instrument} is not in router.symbols, so its orders could not be routed`);
      instrumentsChecked.add(where);
    }
  });

  // Infrastructure: what goes together.
  if (value(['infrastructure', 'kafka', 'caFile']) !== undefined && value(['infrastructure', 'kafka', 'tls']) !== true) report(['infrastructure', 'kafka', 'caFile'], 'only with tls: true');
  for (const service of ['schemaRegistry', 'clickhouse']) {
    const username = value(['infrastructure', service, 'username']);
    const password = value(['infrastructure', service, 'password']);
    if (username !== undefined && password === undefined) report(['infrastructure', service, 'password'], 'missing: a username goes with a password');
    if (password !== undefined && username === undefined) report(['infrastructure', service, 'username'], 'missing: a password goes with a username');
  }

  for (const worker of Object.keys(value<Record<string, number>>(['workers', 'replicas']) ?? {})) {
    const count = value<number>(['workers', 'replicas', worker]);
    const problem = count === undefined ? undefined : replicaProblem(worker, count);
    if (problem) report(['workers', 'replicas', worker], problem);
  }

  // Ports follow from the whole plan: checked once everything else holds.
  if (schemaProblems.length === 0 && problems.length === 0) portProblems(data, report);
  return problems;
}

/** An account's portfolio in a line about the account; left out when the schema refused it (its own line says why). */
const inPortfolio = (portfolio: string | undefined) => (portfolio === undefined ? '' : ` (portfolio "${portfolio}")`);

/** parseRiskLimits' own verdict, at the field it names: `risk limits: portfolio: …` → `portfolios[0].risk.portfolio: …`. */
function riskProblem(risk: unknown, at: string): string | undefined {
  try {
    parseRiskLimits(risk);
    return undefined;
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const message = error.message.replace(/^risk limits: /, '');
    const field = /^([A-Za-z]+(?:\[[^\]]+\])?(?:\.[A-Za-z]+)*): (.*)$/s.exec(message);
    return field ? `${at}.${field[1]}: ${field[2]}` : `${at}: ${message}`;
  }
}

function portProblems(config: Config, report: (at: PathSegment[], what: string) => void): void {
  const sim = simulatorPorts(config);
  const gateway = config.gateway.port;
  if (sim && gateway >= sim.first && gateway <= sim.last) report(['gateway', 'port'], `${gateway} is also a simulated venue's port (${sim.first}-${sim.last} from simulator.port)`);
  const metrics = metricsPortRange(config);
  if (metrics.last > 65_535) report(['workers', 'metricsPortBase'], `the METRICS_PORTs ${metrics.first}-${metrics.last} go past 65535`);
  if (gateway >= metrics.first && gateway <= metrics.last) report(['workers', 'metricsPortBase'], `the METRICS_PORTs ${metrics.first}-${metrics.last} take gateway.port ${gateway}`);
  if (sim && sim.first <= metrics.last && metrics.first <= sim.last) report(['workers', 'metricsPortBase'], `the METRICS_PORTs ${metrics.first}-${metrics.last} take simulated venue ports (${sim.first}-${sim.last})`);
}

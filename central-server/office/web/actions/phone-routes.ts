import { randomUUID } from 'node:crypto';
import type express from 'express';
import type { Request, Response } from 'express';
import { PersonNameSchema, type ElectionIndex } from '../../../../election/index.ts';
import type { OfficeActions, OfficeEntryEvent, PhoneEntryView } from '../../actions/index.ts';
import { officeRequest, type OfficeRequest, type OfficeUserView } from '../context.ts';
import type { OfficeOperator } from '../../../intake/types.ts';
import type { OfficeWeb } from '../web.ts';
import { entryPage, type EntryPageModel } from './entry-view.ts';
import {
  ConfirmFormSchema,
  EntryFieldsSchema,
  EntryLookupSchema,
  EntryStepSchema,
  acknowledgementEvents,
  resolutionEvents,
  valueEvents,
  type EntryStep,
} from './forms.ts';
import { t } from './messages.ts';
import { entryPath, phonePage, type PhonePageModel } from './phone-view.ts';
import { precinctFinder, precinctLabel, type PrecinctLookup } from './precinct-lookup.ts';
import { FORM_INVALID, fromServiceError, pageRefusal, type PageRefusal } from './refusals.ts';

export type ActionPagesDeps = {
  readonly actions: OfficeActions;
  readonly index: ElectionIndex;
  readonly timeZone: string;
  readonly clock: () => Date;
};

/** the last confirmations shown on the page, newest first */
const RECENT = 25;

/**
 * An office user as a person of the four-eyes machine: the user's number as the id (two
 * entries need two different users), the user's name as the name shown and logged.
 */
export const operatorOf = (user: OfficeUserView): OfficeOperator => ({
  id: String(user.id),
  name: user.name,
});

const requestIdOf = (req: Request): string =>
  (req as Request & { requestId?: string }).requestId ?? randomUUID();

/** The Telefon routes: phone confirmation and phoned-in results (operator, admin). */
export function mountPhone(router: express.Router, web: OfficeWeb, deps: ActionPagesDeps): void {
  const { actions, index } = deps;
  const find = precinctFinder(index);
  const operatorOnly = web.requireRole('admin', 'operator');
  const contestName = (id: string) => index.contest(id)?.name ?? id;
  const labelOf = (precinctId: string) => {
    const p = index.precinct(precinctId);
    return p === undefined ? precinctId : precinctLabel(p);
  };
  const lookupRefusal = (typed: string, found: Extract<PrecinctLookup, { ok: false }>) =>
    found.code === 'PRECINCT_AMBIGUOUS'
      ? pageRefusal(found.code, 409, 'precinctAmbiguous', { typed })
      : pageRefusal('PRECINCT_UNKNOWN', 404, 'precinctUnknownTyped', { typed });

  async function phoneModel(
    office: OfficeRequest,
    parts: Partial<Pick<PhonePageModel, 'confirm' | 'entry'>>,
  ): Promise<PhonePageModel> {
    const confirmations = (await actions.store.phoneConfirmations()).slice(-RECENT).reverse();
    const inProgress = await actions.phoned.inProgress();
    return {
      lang: office.lang,
      csrfToken: office.csrfToken,
      timeZone: deps.timeZone,
      now: deps.clock(),
      confirm: parts.confirm ?? { precinct: '', code: '' },
      confirmations: confirmations.map((c) => ({
        precinct: labelOf(c.precinctId),
        contest: contestName(c.contestId),
        sequence: c.sequence,
        by: c.confirmedBy,
        at: c.confirmedAt,
      })),
      entry: parts.entry ?? {
        precinct: '',
        contestId: index.definition.contests[0]?.id ?? '',
        contests: index.definition.contests.map((c) => ({ id: c.id, name: c.name })),
      },
      inProgress: inProgress.map((e) => ({
        precinctId: e.precinctId,
        precinct: labelOf(e.precinctId),
        contestId: e.contestId,
        contest: contestName(e.contestId),
        status: e.status as PhonePageModel['inProgress'][number]['status'],
        updatedAt: e.updatedAt,
      })),
    };
  }

  const renderPhone = async (
    res: Response,
    status: number,
    parts: Parameters<typeof phoneModel>[1],
  ) => {
    const office = officeRequest(res);
    web.render(res, {
      status,
      title: t(office.lang, 'phoneTitle'),
      active: 'phone',
      body: phonePage(await phoneModel(office, parts)),
    });
  };

  router.get('/phone', operatorOnly, async (req, res) => {
    // after a confirmation (POST, then redirect): the row it stored, shown as the outcome
    const precinctId = typeof req.query['bestaetigt'] === 'string' ? req.query['bestaetigt'] : '';
    const sequence = Number(req.query['meldung']);
    const row = (await actions.store.phoneConfirmations()).findLast(
      (c) => c.precinctId === precinctId && c.sequence === sequence,
    );
    await renderPhone(res, 200, {
      confirm: {
        precinct: '',
        code: '',
        ...(row === undefined
          ? {}
          : {
              outcome: {
                ok: true,
                row: {
                  precinct: labelOf(row.precinctId),
                  contest: contestName(row.contestId),
                  sequence: row.sequence,
                  by: row.confirmedBy,
                  at: row.confirmedAt,
                },
              },
            }),
      },
    });
  });

  router.post('/phone/confirm', operatorOnly, async (req, res) => {
    const office = officeRequest(res);
    const form = ConfirmFormSchema.safeParse(req.body);
    const typed = form.success ? form.data : { precinct: '', code: '' };
    const refuse = (refusal: PageRefusal) =>
      renderPhone(res, refusal.status, { confirm: { ...typed, outcome: { ok: false, refusal } } });
    if (!form.success) return refuse(FORM_INVALID());
    const found = find(typed.precinct);
    if (!found.ok) return refuse(lookupRefusal(typed.precinct, found));
    try {
      const row = await actions.phone.confirm({
        precinctId: found.precinct.id,
        code: typed.code,
        user: office.user.name,
        requestId: requestIdOf(req),
      });
      const params = new URLSearchParams({
        bestaetigt: row.precinctId,
        meldung: String(row.sequence),
      });
      res.redirect(303, `/office/phone?${params.toString()}`);
    } catch (error) {
      await refuse(fromServiceError(error));
    }
  });

  router.get('/phone/entry', operatorOnly, async (req, res) => {
    const query = EntryLookupSchema.safeParse(req.query);
    const typed = query.success ? query.data : { precinct: '', contest: '' };
    const entry = (refusal: PageRefusal) => ({
      precinct: typed.precinct,
      contestId: typed.contest,
      contests: index.definition.contests.map((c) => ({ id: c.id, name: c.name })),
      refusal,
    });
    if (!query.success) return renderPhone(res, 400, { entry: entry(FORM_INVALID()) });
    const found = find(typed.precinct);
    if (!found.ok) {
      return renderPhone(res, 404, { entry: entry(lookupRefusal(typed.precinct, found)) });
    }
    res.redirect(303, entryPath(found.precinct.id, typed.contest));
  });

  async function renderEntry(
    req: Request,
    res: Response,
    status: number,
    extra: Partial<Pick<EntryPageModel, 'refusal' | 'typed' | 'counted' | 'view'>> = {},
  ) {
    const office = officeRequest(res);
    const { precinctId, contestId } = req.params as { precinctId: string; contestId: string };
    let view: PhoneEntryView;
    try {
      view =
        extra.view ??
        (await actions.phoned.view(precinctId, contestId, operatorOf(office.user).id));
    } catch (error) {
      const refusal = fromServiceError(error);
      return renderPhone(res, refusal.status, {
        entry: {
          precinct: precinctId,
          contestId,
          contests: index.definition.contests.map((c) => ({ id: c.id, name: c.name })),
          refusal,
        },
      });
    }
    web.render(res, {
      status,
      title: `${t(office.lang, 'entryTitle')} ${labelOf(precinctId)}`,
      active: 'phone',
      body: entryPage({
        lang: office.lang,
        csrfToken: office.csrfToken,
        precinct: labelOf(precinctId),
        contest: contestName(contestId),
        you: operatorOf(office.user),
        ...extra,
        view,
      }),
    });
  }

  router.get('/phone/entry/:precinctId/:contestId', operatorOnly, (req, res) =>
    renderEntry(req, res, 200),
  );

  router.post('/phone/entry/:precinctId/:contestId', operatorOnly, async (req, res) => {
    const office = officeRequest(res);
    const { precinctId, contestId } = req.params as { precinctId: string; contestId: string };
    const step = EntryStepSchema.safeParse(req.body);
    const fields = EntryFieldsSchema.safeParse(fieldsOf(req.body));
    if (!step.success || !fields.success) {
      return renderEntry(req, res, 400, { refusal: FORM_INVALID() });
    }
    const typed = fields.data;
    const operator = operatorOf(office.user);
    const target = { precinctId, contestId };
    try {
      const starts = step.data.step === 'start-first' || step.data.step === 'start-second';
      if (starts && !PersonNameSchema.safeParse(operator.name).success) {
        const refusal = pageRefusal('OPERATOR_NAME_UNSUITABLE', 409, 'operatorNameUnsuitable', {
          name: operator.name,
        });
        return renderEntry(req, res, 409, { refusal });
      }
      const view = await actions.phoned.view(precinctId, contestId, operator.id);
      const plan = stepEvents(step.data.step, view, typed);
      if (!plan.ok) {
        const refusal = pageRefusal('NOT_A_COUNT', 400, 'notANumber', {}, plan.fields);
        return renderEntry(req, res, 400, { refusal, typed, view });
      }
      // each group is applied on its own: figures typed are kept even when "finish" is refused
      let outcome;
      for (const events of plan.groups) {
        if (events.length === 0) continue;
        outcome = await actions.phoned.apply(target, operator, events, requestIdOf(req));
      }
      if (outcome?.counted !== undefined) {
        return renderEntry(req, res, 200, { counted: outcome.counted, view: outcome.view });
      }
      res.redirect(303, entryPath(precinctId, contestId));
    } catch (error) {
      const refusal = fromServiceError(error);
      await renderEntry(req, res, refusal.status, { refusal, typed });
    }
  });
}

/** the form's own fields, without the step and the CSRF token */
function fieldsOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return {};
  const { step: _step, _csrf, ...rest } = body as Record<string, unknown>;
  return rest;
}

type Plan =
  | { readonly ok: true; readonly groups: readonly OfficeEntryEvent[][] }
  | { readonly ok: false; readonly fields: readonly string[] };

/** The events of one step, in groups applied one after the other (all or nothing per group). */
function stepEvents(step: EntryStep, view: PhoneEntryView, fields: Record<string, string>): Plan {
  switch (step) {
    case 'start-first':
      return { ok: true, groups: [[{ type: 'START_FIRST_ENTRY' }]] };
    case 'start-second':
      return { ok: true, groups: [[{ type: 'START_SECOND_ENTRY' }]] };
    case 'reopen':
      return { ok: true, groups: [[{ type: 'REOPEN_FIRST_ENTRY' }]] };
    case 'discard':
      return { ok: true, groups: [[{ type: 'DISCARD' }]] };
    case 'save':
    case 'finish': {
      const values = valueEvents(view, fields);
      if (!values.ok) return values;
      const finish: OfficeEntryEvent[] = step === 'finish' ? [{ type: 'FINISH_ENTRY' }] : [];
      return { ok: true, groups: [values.events, finish] };
    }
    case 'resolve': {
      const settled = resolutionEvents(view, fields);
      if (!settled.ok) return settled;
      return { ok: true, groups: [settled.events, [{ type: 'FINISH_RESOLUTION' }]] };
    }
    case 'sign':
      return { ok: true, groups: [acknowledgementEvents(view, fields), [{ type: 'SIGN' }]] };
  }
}

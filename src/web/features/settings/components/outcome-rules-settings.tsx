/** Settings › "Outcome rules": what a call's outcome schedules next, outside campaigns. */
import { OutcomeRulesEditor } from '../../../components/outcome-rules-editor.tsx';
import {
  checkRuleDrafts,
  draftsFromRules,
  rulesFromDrafts,
} from '../../../components/outcome-rules-model.ts';
import { SettingsCardForm } from './settings-card-form.tsx';

export function OutcomeRulesSettings() {
  return (
    <SettingsCardForm
      id="settings-outcome-rules"
      title="Outcome rules"
      description="What a call's outcome schedules next for calls without a campaign. Campaigns have their own rules."
      field="outcomeRules"
      toDraft={(settings) => draftsFromRules(settings.outcomeRules)}
      toBody={(drafts) => ({ outcomeRules: rulesFromDrafts(drafts) })}
      check={checkRuleDrafts}
      render={({ draft, setDraft, errors, disabled }) => (
        <OutcomeRulesEditor value={draft} onChange={setDraft} errors={errors} disabled={disabled} />
      )}
    />
  );
}

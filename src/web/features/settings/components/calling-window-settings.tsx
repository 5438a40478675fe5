/** Settings › "Calling windows": the workspace's weekly windows and closed dates (admins edit). */
import { CallingWindowEditor } from '../../../components/calling-window-editor.tsx';
import { draftFromPolicy, policyFromDraft } from '../../../components/calling-window-model.ts';
import { SettingsCardForm } from './settings-card-form.tsx';

export function CallingWindowSettings() {
  return (
    <SettingsCardForm
      id="settings-calling-windows"
      title="Calling windows"
      description="When calls and SMS may go out, in each contact's local time. Campaigns use these unless they set their own."
      field="callingWindow"
      toDraft={(settings) => draftFromPolicy(settings.callingWindow, settings.callingWindow)}
      toBody={(draft) => ({ callingWindow: policyFromDraft(draft) })}
      render={({ draft, setDraft, errors, disabled }) => (
        <CallingWindowEditor
          value={draft}
          onChange={setDraft}
          errors={errors}
          disabled={disabled}
        />
      )}
    />
  );
}

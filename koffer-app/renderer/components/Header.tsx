import type { StationInfo } from '../../shared/index.ts';
import { useI18n } from '../i18n/i18n.ts';

/** The blue bar of every Wahlkoffer screen: brand, the station, the language switch. */
export function Header({
  station,
  onSwitchLanguage,
}: {
  station: StationInfo | null;
  onSwitchLanguage: () => void;
}) {
  const { t } = useI18n();
  return (
    <header className="wk-header">
      <div className="wk-header__inner kit-header">
        <span className="wk-brand">
          {t('app.title')}
          {station && <small>{station.electionName}</small>}
        </span>
        {station && (
          <span className="kit-header__station">
            {t('app.precinct', { number: station.precinctNumber, name: station.precinctName })}
          </span>
        )}
        <button
          type="button"
          className="wk-button kit-lang"
          lang={t('app.switchToLang')}
          onClick={onSwitchLanguage}
        >
          {t('app.switchTo')}
        </button>
      </div>
    </header>
  );
}

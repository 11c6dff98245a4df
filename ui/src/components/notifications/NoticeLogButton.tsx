import { Button, HeaderGlobalAction, HeaderPanel } from "@carbon/react";
import { Notification, NotificationNew } from "@carbon/icons-react";
import { use, useState } from "react";
import { formatTimestamp } from "../../lib/format";
import { NoticeLogContext } from "./context";
import { NoticeActionButton } from "./NoticeActionButton";
import { newestById } from "./notices";

/** The header's bell: every notice of this session, newest first, after its toast has gone, with any unused action. */
export function NoticeLogButton() {
  const { notices, clear, act } = use(NoticeLogContext);
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState(0);
  const latest = notices[0]?.id ?? 0;
  const newestWithActionId = newestById(notices);
  const unseen = latest > seen;
  const toggle = () => {
    setOpen((value) => !value);
    setSeen(latest);
  };
  return (
    <>
      <HeaderGlobalAction
        className="notice-log-button"
        aria-label={unseen ? "Notifications (new)" : "Notifications"}
        aria-expanded={open}
        isActive={open}
        tooltipAlignment="end"
        onClick={toggle}
      >
        {unseen ? <NotificationNew size={20} /> : <Notification size={20} />}
      </HeaderGlobalAction>
      <HeaderPanel expanded={open} aria-label="Notifications" className="notice-log">
        {/* Rendered only while open: a closed panel is not read out or searched. */}
        {open && (
          <>
            <div className="notice-log__head">
              <h2 className="notice-log__title">Notifications</h2>
              <Button kind="ghost" size="sm" onClick={clear} disabled={notices.length === 0}>
                Clear
              </Button>
            </div>
            {notices.length === 0 ? (
              <p className="notice-log__empty">Nothing yet. Results of what you do appear here.</p>
            ) : (
              <ol className="notice-log__list">
                {notices.map((notice) => (
                  <li key={notice.id} className={`notice-log__item notice-log__item--${notice.kind}`}>
                    <span className="notice-log__item-title">{notice.title}</span>
                    {notice.subtitle !== undefined && (
                      <span className="notice-log__item-subtitle">{notice.subtitle}</span>
                    )}
                    <time dateTime={notice.at.toISOString()} className="notice-log__item-time">
                      {formatTimestamp(notice.at.toISOString())}
                    </time>
                    {notice.action !== undefined && (
                      <NoticeActionButton
                        action={notice.action}
                        {...(notice.action.id === undefined || !newestWithActionId.has(notice.id)
                          ? {}
                          : { id: `${notice.action.id}-log` })}
                        kind="ghost"
                        onAct={() => act(notice.id)}
                      />
                    )}
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </HeaderPanel>
    </>
  );
}

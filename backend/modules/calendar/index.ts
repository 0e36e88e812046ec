/** The working-day calendar: what other modules (deadlines, supervision) and the app wiring use. */
export { WorkingCalendar, CalendarGapError, beijingDate, startOfBeijingDay, endOfBeijingDay, isCivilDate, type CalendarDayRow, type DayKind } from './calendar.ts';
export { calendarFor, loadCalendar, provisionalYearsAfter, PROVISIONAL_YEARS_AHEAD, importYear, type PublishHook, type DayChangeHook, invalidateCalendarCache, setDay, deleteDay, listYear, publishYear, provinceOf, CALENDAR_TTL_MS, type CalendarDay, type CalendarYear, type DayEdit, type Publication } from './service.ts';
export { calendarRoutes } from './routes.ts';
export { calendarRules } from './policy.ts';
export { statutoryHolidays, type StatutoryHoliday } from './provisional.ts';
export { parseCalendarFile } from './import.ts';

/**
 * Item keys of error reports. A report, and apart from it its reader's contact, live under the
 * story's partition: a report is read by its id alone (the id names the story). Triage listings
 * use the overloaded indexes: `gsi1` by status across stories, `gsi2` by story and status; both
 * sort newest first by time.
 */
export const reportKeys = {
  report: (reportId: string) => `REPORT#${reportId}`,
  reportPrefix: 'REPORT#',
  /** Its own item, so DynamoDB TTL can erase the contact without touching the report. */
  contact: (reportId: string) => `CONTACT#${reportId}`,
  /**
   * That a change of the report (its status version) is in the story's open count. Not under
   * `REPORT#`, which the follow-up's stream filter and the report listings select.
   */
  openCountMarker: (reportId: string, statusVersion: number) => `OPENCOUNT#${reportId}#${statusVersion}`,
  /** `status` is an `ErrorReportStatus`. */
  byStatus: (status: string) => `REPORTS#${status}`,
  byStatusSort: (report: { createdAt: string; reportId: string }) => `${report.createdAt}#${report.reportId}`,
  byArticle: (articleId: string) => `ARTICLE#${articleId}#REPORTS`,
  byArticleSort: (report: { status: string; createdAt: string; reportId: string }) =>
    `${report.status}#${report.createdAt}#${report.reportId}`,
} as const;

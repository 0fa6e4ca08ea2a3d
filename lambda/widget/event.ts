/**
 * What a CloudWatch dashboard sends a custom widget's function: the widget's own parameters at
 * the top level of the event (here `schedule`), and `widgetContext` describing the dashboard; a
 * call with `describe: true` asks for the widget's documentation (Markdown).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/add_custom_widget_dashboard_about.html
 */
export interface CustomWidgetEvent {
  readonly describe?: boolean;
  /** This widget's parameter: the schedule whose latest sweep it draws. */
  readonly schedule?: unknown;
  readonly widgetContext?: WidgetContext;
}

/** The dashboard's context, as documented (fields the map does not read are kept loose). */
export interface WidgetContext {
  readonly dashboardName?: string;
  readonly widgetId?: string;
  readonly accountId?: string;
  readonly locale?: string;
  readonly timezone?: {
    readonly label?: string;
    readonly offsetISO?: string;
    readonly offsetInMinutes?: number;
  };
  readonly period?: number;
  readonly isAutoPeriod?: boolean;
  readonly timeRange?: {
    readonly mode?: string;
    readonly start?: number;
    readonly end?: number;
    readonly relativeStart?: number;
    readonly zoom?: { readonly start?: number; readonly end?: number };
  };
  readonly theme?: string;
  readonly linkCharts?: boolean;
  readonly title?: string;
  readonly forms?: { readonly all?: Readonly<Record<string, unknown>> };
  /** The widget's parameters as configured (also given at the top level of the event). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The widget's size in pixels. */
  readonly width?: number;
  readonly height?: number;
}

/** The schedule a widget names, from the event's top level or its context's params. */
export function scheduleOf(event: CustomWidgetEvent): unknown {
  return event.schedule ?? event.widgetContext?.params?.schedule;
}

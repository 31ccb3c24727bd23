using CommunityDeliberation.App.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CommunityDeliberation.App.Components.Shared;

/// <summary>
/// The one way a page runs a user action: one at a time (<see cref="Busy"/>), a refusal in words through
/// <see cref="ErrorMessages"/> (<see cref="Error"/>, shown inline by the page where the action was), a notice on success as
/// a snackbar and in the page's polite status region (<see cref="Notice"/>), and unexpected failures logged.
/// </summary>
public abstract class ActionComponentBase : ComponentBase
{
    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private ILoggerFactory LoggerFactory { get; set; } = default!;

    /// <summary>
    /// True while an action runs, and while the page is only prerendered (its circuit not yet connected, when a click
    /// would do nothing): buttons that start actions are disabled.
    /// </summary>
    protected bool Busy => _running || !RendererInfo.IsInteractive;

    private bool _running;

    /// <summary>Why the last action was refused, in words; null when it succeeded.</summary>
    protected string? Error { get; set; }

    /// <summary>What the last action did, in words (also shown as a snackbar).</summary>
    protected string? Notice { get; set; }

    /// <summary>The data-testid of the snackbar text, so tests can read the notice of a given page.</summary>
    protected virtual string NoticeTestId => "notice";

    /// <summary>
    /// Runs <paramref name="action"/> unless another one is running. On success shows <paramref name="notice"/> (if any);
    /// on failure sets <see cref="Error"/>. Then calls <see cref="AfterActionAsync"/> either way. True when it succeeded.
    /// </summary>
    protected async Task<bool> RunAsync(Func<Task> action, string? notice = null)
    {
        if (_running)
        {
            return false;
        }

        _running = true;
        Error = null;
        Notice = null;

        // Parts of a page run the page's actions through a delegate: their clicks re-render the part, not the page.
        StateHasChanged();
        var succeeded = false;
        try
        {
            await action();
            succeeded = true;
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
        finally
        {
            _running = false;
        }

        if (succeeded && notice is not null)
        {
            Notify(notice);
        }

        await AfterActionAsync(succeeded);
        StateHasChanged();
        return succeeded;
    }

    /// <summary>Called after every action, succeeded or not; pages reload their view here.</summary>
    protected virtual Task AfterActionAsync(bool succeeded) => Task.CompletedTask;

    /// <summary>Shows a notice: a snackbar (with <see cref="NoticeTestId"/>) and the page's status text.</summary>
    protected void Notify(string text)
    {
        Notice = text;
        var testId = NoticeTestId;

        // One notice at a time: the newest says what the page is like now.
        Snackbar.Clear();
        Snackbar.Add(builder => Message(builder, text, testId), Severity.Success, options => options.SnackbarVariant = Variant.Filled);
    }

    /// <summary>Records a refusal in words; an unexpected failure is logged as an error, never shown as a stack trace.</summary>
    protected void Fail(Exception exception)
    {
        if (!ErrorMessages.IsExpected(exception))
        {
            LoggerFactory.CreateLogger(GetType()).LogError(exception, "An action failed on {Component}", GetType().Name);
        }

        Error = ErrorMessages.Describe(exception, Localizer);
    }

    private static void Message(RenderTreeBuilder builder, string text, string testId)
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "data-testid", testId);
        builder.AddContent(2, text);
        builder.CloseElement();
    }
}

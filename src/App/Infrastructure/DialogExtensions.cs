using CommunityDeliberation.App.Components.Shared;
using MudBlazor;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>What a confirmation answered: whether to go ahead, and the reason typed (empty when none was asked).</summary>
public readonly record struct Confirmation(bool Confirmed, string Reason);

public static class DialogExtensions
{
    /// <summary>Asks before a destructive or irreversible action; see <see cref="ConfirmDialog"/>.</summary>
    public static async Task<Confirmation> ConfirmAsync(this IDialogService dialogs, string title, string message, string confirmText,
        bool danger = false, string? reasonLabel = null, bool reasonRequired = false, int reasonMaxLength = 1000, string testIdPrefix = "confirm")
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, title },
            { d => d.Message, message },
            { d => d.ConfirmText, confirmText },
            { d => d.Danger, danger },
            { d => d.ReasonLabel, reasonLabel },
            { d => d.ReasonRequired, reasonRequired },
            { d => d.ReasonMaxLength, reasonMaxLength },
            { d => d.TestIdPrefix, testIdPrefix },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, BackdropClick = false };
        var reference = await dialogs.ShowAsync<ConfirmDialog>(title, parameters, options);
        var result = await reference.Result;
        return result is { Canceled: false } ? new Confirmation(true, result.Data as string ?? string.Empty) : new Confirmation(false, string.Empty);
    }
}

using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// The words MudBlazor writes itself (the table pager's "First page", a dialog's "Close", …) from the app's own resource
/// files, under <c>Mud.</c> and MudBlazor's key (<c>Mud.MudTablePager_FirstPage</c>): a screen reader on the Chinese pages
/// heard them in English. A key the resources lack falls back to MudBlazor's English, as it did before.
/// </summary>
public sealed class AppMudLocalizer(IStringLocalizer<SharedResource> text) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var found = text["Mud." + key];
            return found.ResourceNotFound ? new LocalizedString(key, key, resourceNotFound: true) : new LocalizedString(key, found.Value);
        }
    }
}

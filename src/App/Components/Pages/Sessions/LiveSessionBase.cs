using CommunityDeliberation.App.Components.Shared;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Components.Pages.Sessions;

/// <summary>
/// What every live view of a session shares (the live page, the projector): it follows the session's events,
/// keeps the view fresh, and words an announcement for screen readers. Unsubscribes when disposed.
/// </summary>
public abstract class LiveSessionBase : ActionComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private int _reloadSequence;

    [Parameter, EditorRequired]
    public int SessionId { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    protected SessionService Sessions { get; set; } = default!;

    [Inject]
    protected IStringLocalizer<SharedResource> Strings { get; set; } = default!;

    /// <summary>The session's events, tallies paced by the number of screens following it (ADR 0023).</summary>
    [Inject]
    private PacedSessionEvents Events { get; set; } = default!;

    [Inject]
    private PresentListShare PresentLists { get; set; } = default!;

    [Inject]
    private VotingService Votes { get; set; } = default!;

    /// <summary>The list of members present as markup, shared with every other screen of the session (PresentListShare).</summary>
    protected MarkupString PresentHtml { get; private set; }

    protected LiveSessionView? View { get; set; }

    protected Actor? Actor { get; private set; }

    /// <summary>After every user action the view is read again (the action's own event may come later).</summary>
    protected override Task AfterActionAsync(bool succeeded) => ReloadAsync();

    /// <summary>The latest change, for the polite live region.</summary>
    protected string? Announcement { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        Actor = Actor.FromPrincipal((await AuthenticationState).User);
        if (Actor is null)
        {
            Error = Strings["Error.Forbidden.NotAllowed"];
            return;
        }

        _subscription = Events.Subscribe(SessionId, OnSessionEvent);
        await ReloadAsync();
    }

    /// <summary>
    /// Loads the view. Reloads can overlap (an event arrives while an action's reload is still reading); only the
    /// last one started may set the view, so an older read never overwrites a newer one.
    /// </summary>
    protected async Task ReloadAsync()
    {
        var sequence = ++_reloadSequence;
        try
        {
            var fresh = await Sessions.GetLiveViewAsync(Actor!, SessionId);
            Votes.WatchedHere(fresh);
            if (sequence == _reloadSequence)
            {
                // Keep the one list every screen of the session shares, not this read's copy (ADR 0024).
                var present = PresentLists.Share(SessionId, fresh.Present, Cultures.IsEnglish);
                View = fresh with { Present = present.Members };
                PresentHtml = present.Html;
            }
        }
        catch (Exception ex) when (ErrorMessages.IsExpected(ex))
        {
            Error = ErrorMessages.Describe(ex, Strings);
        }
    }

    private Task OnSessionEvent(SessionEvent e) => InvokeAsync(async () =>
    {
        try
        {
            await ApplyAsync(e);
        }
        finally
        {
            // Whatever happened while applying the event, show the state we have.
            StateHasChanged();
        }
    });

    private async Task ApplyAsync(SessionEvent e)
    {
        switch (e)
        {
            case TallyChanged tally when View?.OpenPoll is { } open && open.Id == tally.PollId:
                // Snapshots can arrive out of order; the number of ballots only grows while a vote is open.
                if (tally.Ballots >= open.Ballots)
                {
                    View = View with { OpenPoll = open with { Ballots = tally.Ballots, Count = tally.Count ?? open.Count } };
                    Announcement = tally.Count is { } c && open.Method == VoteMethod.YesNoAbstain
                        ? Strings["Live.AnnounceTally", c[PollSpec.Yes], c[PollSpec.No], c[PollSpec.Abstain], tally.Ballots]
                        : Strings["Live.AnnounceParticipation", tally.Ballots, open.EligibleAtOpen];
                }

                break;
            case PollOpened:
                await ReloadAsync();
                Announcement = Strings["Live.AnnouncePollOpened", View?.OpenPoll?.Question ?? string.Empty];
                break;
            case PollClosed closed:
                await ReloadAsync();
                var result = View?.ClosedPolls.FirstOrDefault(p => p.Id == closed.PollId);
                Announcement = Strings["Live.AnnouncePollClosed", Strings[$"Outcome.{closed.Outcome}"], result is null ? string.Empty : PollText.Arithmetic(Strings, result)];
                break;
            case AgendaMoved:
                await ReloadAsync();
                var current = View?.Agenda.FirstOrDefault(a => a.Id == View.CurrentAgendaItemId);
                Announcement = current is null ? null : Strings["Live.AnnounceAgenda", current.Position, current.Title].Value;
                break;
            case SpeakerStarted started:
                await ReloadAsync();
                Announcement = Strings["Speakers.AnnounceStarted", started.Name, SpeakerText.Mark(Strings, started.Mark), SpeakerText.Duration(Strings, started.AllowedSeconds)];
                break;
            case SpeakerExtended extended:
                await ReloadAsync();
                Announcement = Strings["Speakers.AnnounceExtended", SpeakerText.Duration(Strings, extended.AllowedSeconds)];
                break;
            case SpeakerEnded ended:
                await ReloadAsync();
                Announcement = Strings["Speakers.AnnounceEnded", ended.Name, SpeakerText.Duration(Strings, ended.SpokeSeconds)];
                break;
            default:
                await ReloadAsync();
                break;
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}

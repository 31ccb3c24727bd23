using CommunityDeliberation.App.Components.Pages.Sessions;
using CommunityDeliberation.App.Tests.Support;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Speakers;

namespace CommunityDeliberation.App.Tests.Sessions;

/// <summary>
/// The speaker's countdown as the server renders it (the browser script counts on from the same attributes), with a fake
/// clock; and the floor panel around it, with the real speaker service behind the chair's buttons.
/// </summary>
public sealed class SpeakerTimerTests : AppTestContext
{
    [Fact]
    public void ShowsTheTimeLeftFromTheServerClock()
    {
        Clock.Advance(TimeSpan.FromSeconds(75.6));
        var timer = Render<SpeakerTimer>(p => p.Add(t => t.Turn, Turn(allowed: 180)).Add(t => t.AnnouncerId, "a"));

        var span = timer.Find("[data-testid=speaker-timer]");
        Assert.Equal("01:45", span.TextContent);
        Assert.Equal("ok", span.GetAttribute("data-state"));
        Assert.Equal("180", span.GetAttribute("data-allowed"));
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), span.GetAttribute("data-server-now"));
        Assert.Equal("timer", span.GetAttribute("role"));
    }

    [Fact]
    public void TurnsLowAtThirtySecondsLeft()
    {
        Clock.Advance(TimeSpan.FromSeconds(150));
        var timer = Render<SpeakerTimer>(p => p.Add(t => t.Turn, Turn(allowed: 180)).Add(t => t.AnnouncerId, "a"));

        Assert.Equal("00:30", timer.Find("span").TextContent);
        Assert.Equal("low", timer.Find("span").GetAttribute("data-state"));
    }

    [Fact]
    public void ShowsAnOverrunAsNegative()
    {
        Clock.Advance(TimeSpan.FromSeconds(200));
        var timer = Render<SpeakerTimer>(p => p.Add(t => t.Turn, Turn(allowed: 180)).Add(t => t.AnnouncerId, "a"));

        Assert.Equal("\u221200:20", timer.Find("span").TextContent);
        Assert.Equal("over", timer.Find("span").GetAttribute("data-state"));
    }

    [Fact]
    public void ReRenderReadsTheClockAgainAfterAnExtension()
    {
        Clock.Advance(TimeSpan.FromSeconds(170));
        var timer = Render<SpeakerTimer>(p => p.Add(t => t.Turn, Turn(allowed: 180)).Add(t => t.AnnouncerId, "a"));
        Assert.Equal("00:10", timer.Find("span").TextContent);

        Clock.Advance(TimeSpan.FromSeconds(20));
        timer.Render(p => p.Add(t => t.Turn, Turn(allowed: 240)));

        Assert.Equal("00:50", timer.Find("span").TextContent);
        Assert.Equal("240", timer.Find("span").GetAttribute("data-allowed"));
    }

    [Fact]
    public async Task ChairSeesExtendAndEndNextToTheCountdown()
    {
        await UseDatabaseAsync();
        Clock.Advance(TimeSpan.FromSeconds(30));
        var floor = Render<SpeakerFloor>(p => p
            .Add(f => f.Turn, Turn(allowed: 180))
            .Add(f => f.Actor, new Actor("chair-id", new HashSet<string> { Roles.Chair }))
            .Add(f => f.CanChair, true)
            .Add(f => f.Run, action => action()));

        Assert.Equal("王芳", floor.Find("[data-testid=floor-name]").TextContent);
        Assert.Equal("02:30", floor.Find("[data-testid=speaker-timer]").TextContent);
        Assert.NotNull(floor.Find("[data-testid=extend-60]"));
        Assert.NotNull(floor.Find("[data-testid=end-turn]"));
        Assert.Equal("speaker-timer-announcer", floor.Find("[data-testid=speaker-timer]").GetAttribute("data-announcer"));
    }

    [Fact]
    public async Task RepresentativeSeesTheCountdownWithoutControls()
    {
        await UseDatabaseAsync();
        var floor = Render<SpeakerFloor>(p => p
            .Add(f => f.Turn, Turn(allowed: 180))
            .Add(f => f.Actor, new Actor("rep-id", new HashSet<string> { Roles.Representative }))
            .Add(f => f.CanChair, false)
            .Add(f => f.Run, action => action()));

        Assert.Equal("03:00", floor.Find("[data-testid=speaker-timer]").TextContent);
        Assert.Empty(floor.FindAll("[data-testid=end-turn]"));
        Assert.Empty(floor.FindAll("[data-testid^=extend-]"));
    }

    private static SpeakerTurnView Turn(int allowed) =>
        new(41, 3, 12, "王芳", SpeakerMark.Pro, SpeakerRequestStatus.Speaking, 0, Start.UtcDateTime.AddMinutes(-2), Start.UtcDateTime, null, allowed);
}

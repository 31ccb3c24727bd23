using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Sessions;

public sealed class SessionTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 6, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime ScheduledAt = new(2026, 3, 8, 6, 0, 0, DateTimeKind.Utc);

    private readonly Body _body;
    private readonly Term _term;

    public SessionTests()
    {
        _body = new Body("test-council", "测试社区党员代表议事会", "Test community council", BodyKind.Council);
        _term = _body.AddTerm(2, "第二届", "2nd term", new DateOnly(2010, 3, 1), null);
    }

    private Session Schedule(string title = "旧住房改造项目听证会", string place = "社区党工委会议室") =>
        Session.Schedule(_body, _term, 1, SessionKind.PublicHearing, title, ScheduledAt, place, "chair-user-id", Now);

    private Session ScheduleWithAgenda(int items = 2)
    {
        var session = Schedule();
        for (var i = 1; i <= items; i++)
        {
            session.AddAgendaItem($"议题{i}", 15);
        }

        return session;
    }

    [Fact]
    public void ScheduledSessionIsDraft()
    {
        var session = Schedule("  旧住房改造项目听证会  ");

        Assert.Equal(SessionStatus.Draft, session.Status);
        Assert.Equal("旧住房改造项目听证会", session.Title);
        Assert.Same(_body, session.Body);
        Assert.Same(_term, session.Term);
        Assert.Equal(Now, session.CreatedAtUtc);
        Assert.Equal(ScheduledAt, session.ScheduledAtUtc);
        Assert.Equal(DateTimeKind.Utc, session.ScheduledAtUtc.Kind);
        Assert.Null(session.OpenedAtUtc);
        Assert.Null(session.CurrentAgendaItemId);
        Assert.Empty(session.Agenda);
        Assert.True(session.IsChairedBy("chair-user-id"));
        Assert.False(session.IsChairedBy("someone-else"));
    }

    [Fact]
    public void UnspecifiedScheduleTimeIsTakenAsUtc()
    {
        var session = Session.Schedule(_body, _term, 1, SessionKind.CouncilSession, "议事会", new DateTime(2026, 3, 8, 6, 0, 0, DateTimeKind.Unspecified), "会议室", "chair", Now);

        Assert.Equal(DateTimeKind.Utc, session.ScheduledAtUtc.Kind);
        Assert.Equal(ScheduledAt, session.ScheduledAtUtc);
    }

    [Fact]
    public void RefusesTermOfAnotherBody()
    {
        var other = new Body("other-council", "另一个议事会", "Another council", BodyKind.Council);
        var otherTerm = other.AddTerm(1, "第一届", "1st term", new DateOnly(2020, 1, 1), null);

        var ex = Assert.Throws<DomainException>(() =>
            Session.Schedule(_body, otherTerm, 1, SessionKind.CouncilSession, "议事会", ScheduledAt, "会议室", "chair", Now));
        Assert.Equal("Session.TermNotOfBody", ex.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void EmptyTitleIsRequired(string? title)
    {
        var ex = Assert.Throws<DomainException>(() => Schedule(title!));

        Assert.Equal("Session.Title.Required", ex.Code);
        Assert.Empty(ex.Arguments);
    }

    [Fact]
    public void TenThousandCharacterTitleIsTooLong()
    {
        var ex = Assert.Throws<DomainException>(() => Schedule(new string('议', 10_000)));

        Assert.Equal("Session.Title.TooLong", ex.Code);
        Assert.Equal([200, 10_000], ex.Arguments);
    }

    [Fact]
    public void TitleOfExactlyTheLimitIsAccepted() => Assert.Equal(Limits.Title, Schedule(new string('议', Limits.Title)).Title.Length);

    [Theory]
    [InlineData("听证会\n第二场")]
    [InlineData("听证会\t")]
    [InlineData("听证\u0000会")]
    [InlineData("听证\u001b[31m会")]
    [InlineData("听证\u0085会")]
    public void ControlCharactersInTitleAreRefused(string title)
    {
        var ex = Assert.Throws<DomainException>(() => Schedule(title + "x"));

        Assert.Equal("Session.Title.InvalidCharacters", ex.Code);
    }

    [Fact]
    public void EmptyPlaceIsRequired()
    {
        var ex = Assert.Throws<DomainException>(() => Schedule(place: " "));

        Assert.Equal("Session.Place.Required", ex.Code);
    }

    [Fact]
    public void AgendaItemsAreNumberedInOrder()
    {
        var session = Schedule();
        var first = session.AddAgendaItem("  宣布听证事项  ", 10, "  主持人说明规则。 ");
        var second = session.AddAgendaItem("代表陈述意见", 60);

        Assert.Equal([1, 2], session.Agenda.Select(a => a.Position));
        Assert.Equal("宣布听证事项", first.Title);
        Assert.Equal("主持人说明规则。", first.Description);
        Assert.Null(second.Description);
        Assert.Same(session, second.Session);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(601)]
    [InlineData(int.MaxValue)]
    public void PlannedMinutesOutOfRangeAreRefused(int minutes)
    {
        var session = Schedule();

        var ex = Assert.Throws<DomainException>(() => session.AddAgendaItem("议题", minutes));

        Assert.Equal("Agenda.PlannedMinutesOutOfRange", ex.Code);
        Assert.Equal([1, Limits.PlannedMinutesMax], ex.Arguments);
        Assert.Empty(session.Agenda);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(600)]
    public void PlannedMinutesAtTheBoundsAreAccepted(int minutes) => Assert.Equal(minutes, Schedule().AddAgendaItem("议题", minutes).PlannedMinutes);

    [Fact]
    public void EmptyAgendaItemTitleIsRequired()
    {
        var ex = Assert.Throws<DomainException>(() => Schedule().AddAgendaItem(" ", 10));

        Assert.Equal("Agenda.Title.Required", ex.Code);
    }

    [Fact]
    public void AgendaIsLimitedToFiftyItems()
    {
        var session = ScheduleWithAgenda(Limits.AgendaItemsPerSession);

        var ex = Assert.Throws<DomainException>(() => session.AddAgendaItem("第51项", 5));

        Assert.Equal("Agenda.TooManyItems", ex.Code);
        Assert.Equal(Limits.AgendaItemsPerSession, session.Agenda.Count);
    }

    [Fact]
    public void OpenWithoutAgendaIsRefused()
    {
        var session = Schedule();

        var ex = Assert.Throws<DomainException>(() => session.Open(Now));

        Assert.Equal("Session.NoAgenda", ex.Code);
        Assert.Equal(SessionStatus.Draft, session.Status);
    }

    [Fact]
    public void OpeningStartsAtTheFirstAgendaItem()
    {
        var session = ScheduleWithAgenda();

        session.Open(Now);

        Assert.Equal(SessionStatus.Open, session.Status);
        Assert.Equal(Now, session.OpenedAtUtc);
        Assert.Equal(session.Agenda[0].Id, session.CurrentAgendaItemId);
    }

    [Fact]
    public void OpenTwiceIsRefused()
    {
        var session = ScheduleWithAgenda();
        session.Open(Now);

        var ex = Assert.Throws<DomainException>(() => session.Open(Now.AddMinutes(1)));

        Assert.Equal("Session.AlreadyOpen", ex.Code);
        Assert.Equal(Now, session.OpenedAtUtc);
    }

    [Fact]
    public void CloseADraftIsRefused()
    {
        var session = ScheduleWithAgenda();

        var ex = Assert.Throws<DomainException>(() => session.Close(Now));

        Assert.Equal("Session.NotOpenYet", ex.Code);
        Assert.Equal(SessionStatus.Draft, session.Status);
        Assert.Null(session.ClosedAtUtc);
    }

    [Fact]
    public void ClosingAnOpenSessionClosesIt()
    {
        var session = ScheduleWithAgenda();
        session.Open(Now);

        session.Close(Now.AddHours(2));

        Assert.Equal(SessionStatus.Closed, session.Status);
        Assert.Equal(Now.AddHours(2), session.ClosedAtUtc);
    }

    [Fact]
    public void ClosedSessionCannotBeReopenedOrClosedAgain()
    {
        var session = ScheduleWithAgenda();
        session.Open(Now);
        session.Close(Now.AddHours(2));

        Assert.Equal("Session.AlreadyClosed", Assert.Throws<DomainException>(() => session.Open(Now)).Code);
        Assert.Equal("Session.AlreadyClosed", Assert.Throws<DomainException>(() => session.Close(Now)).Code);
        Assert.Equal("Session.AlreadyClosed", Assert.Throws<DomainException>(() => session.AddAgendaItem("补充议题", 5)).Code);
    }

    [Fact]
    public void MoveToUnknownItemIsRefused()
    {
        var session = ScheduleWithAgenda();
        session.Open(Now);
        var before = session.CurrentAgendaItemId;

        var ex = Assert.Throws<DomainException>(() => session.MoveTo(4242));

        Assert.Equal("Agenda.UnknownItem", ex.Code);
        Assert.Equal(before, session.CurrentAgendaItemId);
    }

    [Fact]
    public void MoveToBeforeOpeningIsRefused()
    {
        var session = ScheduleWithAgenda();

        var ex = Assert.Throws<DomainException>(() => session.MoveTo(session.Agenda[0].Id));

        Assert.Equal("Session.NotOpenYet", ex.Code);
    }

    [Fact]
    public void MoveToAKnownItemMakesItCurrent()
    {
        var session = ScheduleWithAgenda();
        session.Open(Now);

        session.MoveTo(session.Agenda[1].Id);

        Assert.Equal(session.Agenda[1].Id, session.CurrentAgendaItemId);
    }
}

using System.Text.Json;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>
/// Loads completed demo hearings (seeds/hearings.json) onto the seeded public-hearing sessions: every step taken
/// through the <see cref="Hearing"/> aggregate and written to the session's log at the hearing's historical times, so the
/// report is generated from the log exactly as for a live hearing, and published as the session's minutes; the published
/// decision feedback adds its follow-up item to the ledger through <see cref="LedgerFollowUps"/>, as a live one does. Demo registrants' identity keys are "seed:…"
/// stand-ins (their contacts are .invalid addresses), not keyed hashes.
/// </summary>
internal static class HearingSeeder
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> LoadAsync(DeliberationDbContext db, string folder, TimeZoneInfo zone, LedgerFollowUps followUps, CancellationToken ct)
    {
        var path = Path.Combine(folder, "hearings.json");
        if (!File.Exists(path))
        {
            return 0;
        }

        await using var stream = File.OpenRead(path);
        var file = await JsonSerializer.DeserializeAsync<SeedHearings>(stream, Json, ct) ?? throw new InvalidDataException($"{path} is empty");
        foreach (var seed in file.Hearings)
        {
            await LoadOneAsync(db, seed, zone, followUps, ct);
        }

        return file.Hearings.Count;
    }

    private static async Task LoadOneAsync(DeliberationDbContext db, SeedHearing seed, TimeZoneInfo zone, LedgerFollowUps followUps, CancellationToken ct)
    {
        var session = await db.Sessions.Include(s => s.Body).Include(s => s.Agenda).SingleAsync(s => s.Title == seed.SessionTitle, ct);
        var seats = seed.Seats.Select(s => new HearingSeats(Enum.Parse<ParticipantCategory>(s.Key), s.Value)).ToList();
        var starts = seed.StartsAt.UtcDateTime;
        var at = seed.NoticeAt.UtcDateTime;
        var hearing = Hearing.Create(session.Id, session.BodyId, session.TermId,
            new HearingNotice(seed.Topic, seed.Background, seed.Place, starts, seed.Deadline.UtcDateTime, seats, HearingLimits.TestimonyDefault, seed.SpeakingSeconds), at);
        db.Hearings.Add(hearing);
        await db.SaveChangesAsync(ct);

        var log = new List<SessionLogEvent>();
        async Task Log(SessionLogEvent entry, DateTime when)
        {
            log.Add(entry);
            await SessionLog.AppendAsync(db, session.Id, entry, null, when, ct);
            await db.SaveChangesAsync(ct);
        }

        Task Step(DateTime when) => Log(new HearingStepEntry(hearing.Id, hearing.Stage.ToString(), null), when);

        hearing.PublishNotice(at);
        await Step(at);
        hearing.OpenRegistration(at);
        await Step(at);

        var registrations = new List<HearingRegistration>();
        foreach (var (r, i) in seed.Registrations.Select((r, i) => (r, i)))
        {
            var when = at.AddHours(6 + (i * 20));
            var input = new RegistrationInput(r.Name, Enum.Parse<ParticipantCategory>(r.Category), r.Affiliation, $"demo-{hearing.Id}-{i}@demo.invalid",
                Enum.Parse<HearingPosition>(r.Position), r.Testimony);
            var registration = hearing.Register(input, $"seed:{hearing.Id}:{i}", when);
            db.HearingRegistrations.Add(registration);
            await db.SaveChangesAsync(ct);
            registrations.Add(registration);
            await Log(new HearingRegisteredEntry(hearing.Id, registration.Id, registration.Category.ToString(), registration.Position.ToString(), registration.Testimony is not null), when);
        }

        var closed = seed.Deadline.UtcDateTime;
        hearing.CloseRegistration();
        await Step(closed);
        foreach (var (r, registration) in seed.Registrations.Zip(registrations))
        {
            switch (Enum.Parse<RegistrationStatus>(r.Status))
            {
                case RegistrationStatus.Selected:
                    hearing.Select(registration, registrations.Count(x => x.Category == registration.Category && x.Status == RegistrationStatus.Selected));
                    break;
                case RegistrationStatus.NotSelected:
                    hearing.Decline(registration, r.Reason);
                    break;
                default:
                    hearing.PutOnWaitingList(registration);
                    break;
            }

            await Log(new HearingDecidedEntry(hearing.Id, registration.Id, registration.Name, registration.Category.ToString(), registration.Position.ToString(),
                registration.Status.ToString(), registration.Reason), closed.AddHours(20));
        }

        // Those the seed says spoke were there: checked in at the door before the start (those who passed, the seed does not say).
        foreach (var registration in seed.Speeches.Where(s => !s.Skipped).Select(s => registrations[s.Speaker]).Distinct())
        {
            var arrived = starts.AddMinutes(-20);
            hearing.CheckIn(registration, arrived);
            await Log(new HearingCheckedInEntry(hearing.Id, registration.Id, registration.Name, registration.Category.ToString(), registration.Position.ToString(), arrived), arrived);
        }

        var now = starts.AddMinutes(35);
        hearing.GoLive(registrations.Count(r => r.Status == RegistrationStatus.Selected));
        await Step(starts);
        var speeches = new List<HearingSpeech>();
        foreach (var s in seed.Speeches)
        {
            var registration = registrations[s.Speaker];
            HearingSpeech speech;
            if (s.Skipped)
            {
                speech = hearing.Skip(registration, now);
                db.HearingSpeeches.Add(speech);
                await db.SaveChangesAsync(ct);
            }
            else
            {
                speech = hearing.GiveFloor(registration, now);
                db.HearingSpeeches.Add(speech);
                await db.SaveChangesAsync(ct);
                hearing.Started(speech);
                await Log(new HearingFloorEntry(hearing.Id, speech.Id, registration.Id, speech.SpeakerName, speech.Category.ToString(), speech.Position.ToString(),
                    speech.StartedAtUtc, speech.AllowedSeconds), now);
                now = now.AddSeconds(s.Seconds);
                hearing.EndSpeech(speech, now);
            }

            await Log(new HearingSpokeEntry(hearing.Id, speech.Id, registration.Id, speech.SpeakerName, speech.Category.ToString(), speech.Position.ToString(),
                speech.StartedAtUtc, speech.EndedAtUtc!.Value, speech.SpokeSeconds ?? 0, speech.AllowedSeconds, speech.WasSkipped), now);
            speeches.Add(speech);
            now = now.AddSeconds(40);
        }

        var comments = new List<HearingComment>();
        foreach (var c in seed.Comments)
        {
            var author = registrations[c.Author];
            var comment = new HearingComment(hearing.Id, author.Id, author.Name, author.Category, author.Position, c.Text, now);
            db.HearingComments.Add(comment);
            await db.SaveChangesAsync(ct);
            comments.Add(comment);
            await Log(new HearingCommentedEntry(hearing.Id, comment.Id, comment.AuthorName, comment.Category.ToString(), comment.Position.ToString(), comment.Text), now);
            now = now.AddMinutes(2);
        }

        hearing.OpenComments();
        await Step(now);
        var after = now.AddDays(2);
        foreach (var s in seed.Speeches.Zip(speeches).Where(x => x.First.Summary is not null))
        {
            hearing.Summarize(s.Second, s.First.Summary);
            await Log(new HearingSummarizedEntry(hearing.Id, s.Second.Id, s.Second.Summary), after);
        }

        foreach (var i in seed.Issues)
        {
            var issue = hearing.RaiseIssue(i.Title, i.Speeches.Select(x => speeches[x].Id).ToList(), i.Comments.Select(x => comments[x].Id).ToList());
            await db.SaveChangesAsync(ct);
            await Log(new HearingIssueEntry(hearing.Id, issue.Id, issue.Number, issue.Title, issue.SpeechIds, issue.CommentIds), after);
            hearing.Respond(issue, i.Response);
            await Log(new HearingResponseEntry(hearing.Id, issue.Id, issue.Response!), after.AddHours(1));
        }

        var header = new HearingReportHeader(hearing.Topic, session.Body.Name, session.Title, hearing.StartsAtUtc, hearing.Place, hearing.Seats);
        hearing.DraftReport(HearingReport.Write(header, log, zone));
        await Step(after.AddDays(1));

        // The report is the minutes of the hearing's session: generated from the log, approved by the chair and
        // published through the same step as a live hearing's (the issues gate runs; archive, search and feed get it).
        var (markdown, sessionLog) = await MinutesService.RenderAsync(db, session, zone, ct);
        var minutes = SessionMinutes.Generate(session.Id, markdown, LogHead.Of(sessionLog), session.ChairUserId, after.AddDays(2));
        db.Minutes.Add(minutes);
        await db.SaveChangesAsync(ct);
        minutes.Approve(session.ChairUserId);
        var published = after.AddDays(3);
        await MinutesService.PublishInAsync(db, minutes, session, null, published, ct);
        log.Add(new HearingStepEntry(hearing.Id, hearing.Stage.ToString(), null));
        var fed = published.AddDays(14);
        hearing.PublishFeedback(seed.Feedback, fed);
        await Log(new HearingStepEntry(hearing.Id, nameof(HearingStage.FeedbackPublished), hearing.FeedbackMarkdown), fed);

        // As HearingService.PublishFeedbackAsync: the published decision adds its follow-up item to the body's ledger,
        // under the account of the term's secretary (the secretariat publishes feedback).
        var secretary = await db.Memberships.Where(m => m.TermId == session.TermId && m.Role == Bodies.MemberRole.Secretary && m.UserId != null)
            .Select(m => m.UserId!).FirstAsync(ct);
        await followUps.OnHearingFeedbackAsync(db, hearing.Id, hearing.BodyId, hearing.Topic, hearing.FeedbackMarkdown, secretary, fed, ct);
        hearing.RefreshReport(HearingReport.Write(header, log, zone));
        await db.SaveChangesAsync(ct);
    }

    private sealed record SeedHearings(string? Note, List<SeedHearing> Hearings);

    private sealed record SeedHearing(
        string SessionTitle, string Topic, string Background, string Place, DateTimeOffset NoticeAt, DateTimeOffset Deadline, DateTimeOffset StartsAt, int SpeakingSeconds,
        Dictionary<string, int> Seats, List<SeedRegistration> Registrations, List<SeedSpeech> Speeches, List<SeedComment> Comments, List<SeedIssue> Issues, string Feedback);

    private sealed record SeedRegistration(string Name, string Category, string Affiliation, string Position, string Status, string? Reason, string? Testimony);

    private sealed record SeedSpeech(int Speaker, int Seconds, string? Summary, bool Skipped);

    private sealed record SeedComment(int Author, string Text);

    private sealed record SeedIssue(string Title, List<int> Speeches, List<int> Comments, string Response);
}

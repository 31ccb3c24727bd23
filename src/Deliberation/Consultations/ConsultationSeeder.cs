using System.Text.Json;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Seeding;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Consultations;

/// <summary>
/// Loads the decided demo consultations (seeds/consultations.json) onto the seeded consultation sessions: every step
/// taken through the <see cref="Consultation"/> aggregate and written to the session's log at the session's time. The
/// decision records its follow-up item (the entry of seeds/ledger.json its <c>ledgerTitle</c> names) in the ledger with
/// the consultation as its source, in the decision's unit of work and by the convener, as ConsultationService's decision
/// does; the ledger seed takes it through its later steps. A member given as an account's user name is that account;
/// any other is a person named only.
/// </summary>
internal static class ConsultationSeeder
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> LoadAsync(DeliberationDbContext db, string folder, IReadOnlyList<SeedLedgerItem> ledger, CancellationToken ct)
    {
        var path = Path.Combine(folder, "consultations.json");
        if (!File.Exists(path))
        {
            return 0;
        }

        await using var stream = File.OpenRead(path);
        var file = await JsonSerializer.DeserializeAsync<SeedConsultations>(stream, Json, ct) ?? throw new InvalidDataException($"{path} is empty");
        foreach (var seed in file.Consultations)
        {
            await LoadOneAsync(db, seed, ledger, ct);
        }

        return file.Consultations.Count;
    }

    private static async Task LoadOneAsync(DeliberationDbContext db, SeedConsultation seed, IReadOnlyList<SeedLedgerItem> ledger, CancellationToken ct)
    {
        var session = await db.Sessions.Include(s => s.Body).SingleAsync(s => s.Title == seed.SessionTitle, ct);
        var at = session.ScheduledAtUtc;
        var convener = await db.Memberships.Where(m => m.TermId == session.TermId && m.Role == Bodies.MemberRole.Chair).Select(m => m.UserId).FirstOrDefaultAsync(ct);
        var consultation = Consultation.Open(session.Id, session.BodyId, session.TermId, new ConsultationInput(seed.Title, seed.Topic, seed.Important), at.AddDays(-14));
        db.Consultations.Add(consultation);
        await db.SaveChangesAsync(ct);

        async Task Log(SessionLogEvent entry, DateTime when, string? by = null)
        {
            await SessionLog.AppendAsync(db, session.Id, entry, by ?? convener, when, ct);
            await db.SaveChangesAsync(ct);
        }

        await Log(new ConsultationOpenedEntry(consultation.Id, consultation.Title, consultation.TopicMarkdown, consultation.IsImportant, consultation.Source.ToString(), null), at.AddDays(-14));
        foreach (var b in seed.Blocs)
        {
            var bloc = consultation.AddBloc(b.Kind, b.Name, ConsultationOptions.DefaultBlocKinds);
            await db.SaveChangesAsync(ct);
            foreach (var member in b.Members)
            {
                var account = await db.Users.Where(u => u.UserName == member).Select(u => new { u.Id, u.DisplayName }).SingleOrDefaultAsync(ct);
                consultation.AddMember(bloc.Id, account?.Id, account?.DisplayName ?? member, false);
            }

            await db.SaveChangesAsync(ct);
        }

        // Positions are filed by a member with an account; a bloc of named members only has its position entered for it
        // under the convener's account, which the log shows (the demo's placeholder, not a path the service offers).
        foreach (var b in seed.Blocs)
        {
            var bloc = consultation.Blocs.Single(x => x.Name == b.Name);
            var filer = bloc.Members.FirstOrDefault(m => m.UserId is not null);
            var position = new BlocPosition(1, 0, Enum.Parse<Stance>(b.Stance), b.Position, filer?.UserId ?? convener ?? string.Empty, at.AddDays(-7));
            bloc.Seed(position);
            await db.SaveChangesAsync(ct);
            await Log(new ConsultationPositionEntry(consultation.Id, bloc.Id, bloc.Name, 1, 0, b.Stance, b.Position, filer?.Name ?? bloc.Members[0].Name), at.AddDays(-7), filer?.UserId);
        }

        consultation.OpenRound();
        await db.SaveChangesAsync(ct);
        await Log(new ConsultationRoundEntry(consultation.Id, 1, true,
            consultation.Blocs.Select(b => new LoggedBloc(b.Id, b.Kind, b.Name, b.Spokesperson?.Name, b.Members.Select(m => m.Name).ToList())).ToList()), at);
        consultation.CloseRound();
        await Log(new ConsultationRoundEntry(consultation.Id, 1, false, []), at.AddMinutes(50));

        var assessor = await db.Memberships.Where(m => m.TermId == session.TermId && m.Role == Bodies.MemberRole.ThirdPartyAssessor)
            .Select(m => new { m.UserId, m.Name }).FirstAsync(ct);
        var a = seed.Assessment;
        var assessment = new ConsultationAssessment(consultation.Id, new AssessmentInput(a.Feasibility, a.Legality, a.Cost, a.Risks, a.Recommendation),
            assessor.UserId ?? string.Empty, assessor.Name, at.AddMinutes(60));
        db.ConsultationAssessments.Add(assessment);
        await Log(new ConsultationAssessedEntry(consultation.Id, assessment.AssessorName, assessment.Feasibility, assessment.Legality, assessment.Cost, assessment.Risks,
            assessment.Recommendation), at.AddMinutes(60), assessor.UserId);

        consultation.OpenDecision(DecisionMethod.Consensus, assessmentFiled: true);
        await Log(new ConsultationDecidingEntry(consultation.Id, nameof(DecisionMethod.Consensus)), at.AddMinutes(75));
        var decided = at.AddMinutes(85);
        consultation.DecideByConsensus([], seed.Decision, decided);
        var followUps = ledger.Where(l => l.BodyKey == session.Body.Key && l.Title == seed.LedgerTitle && l.Source == nameof(LedgerSource.Consultation))
            .Select(LedgerSeeder.Input).ToList();
        if (followUps.Count == 0)
        {
            throw new InvalidDataException($"consultations.json: '{seed.Title}' is adopted but ledger.json has no Consultation item '{seed.LedgerTitle}' for it");
        }

        var items = followUps.Select(f => LedgerItem.Record(consultation.BodyId, f with { Source = LedgerSource.Consultation, SourceId = consultation.Id }, convener ?? "system", decided)).ToList();
        db.LedgerItems.AddRange(items);
        await db.SaveChangesAsync(ct);
        await Log(new ConsultationDecidedEntry(consultation.Id, nameof(DecisionMethod.Consensus), true, consultation.DecisionMarkdown!,
            consultation.Blocs.Select(b => new LoggedParticipant(b.Name, b.Spokesperson?.Name ?? "—", null)).ToList(), [],
            items.Select(i => new LoggedFollowUp(i.Id, i.Title, i.OwnerName, i.DueOn, i.Area)).ToList()), decided);
    }

    private sealed record SeedConsultations(List<SeedConsultation> Consultations);

    private sealed record SeedConsultation(
        string SessionTitle, string Title, string Topic, bool Important, List<SeedBloc> Blocs, SeedAssessment Assessment, string Decision, string LedgerTitle);

    private sealed record SeedBloc(string Kind, string Name, List<string> Members, string Stance, string Position);

    private sealed record SeedAssessment(string Feasibility, string Legality, string Cost, string Risks, string Recommendation);
}

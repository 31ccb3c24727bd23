using System.Text.Json;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Projects;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Topics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Seeding;

public sealed record SeedReport(bool Loaded, int Organisations, int Bodies, int Members, int Users, int Sessions);

/// <summary>
/// Loads the demo data (seeds/*.json, drawn from the source articles) into an empty database, in one transaction.
/// A database that already has bodies or accounts is left as it is, so loading twice changes nothing and a database
/// whose administrator was made by <c>create-admin</c> never gets the demo accounts.
/// Demo passwords come only from the seed files.
/// </summary>
public static class SeedLoader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<SeedReport> LoadAsync(IDbContextFactory<DeliberationDbContext> factory, string folder, TimeProvider clock, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.Bodies.AnyAsync(ct) || await db.Users.AnyAsync(ct))
        {
            return new SeedReport(false, 0, 0, 0, 0, 0);
        }

        var organisations = Read<List<SeedOrganisation>>(folder, "organisations.json");
        var accounts = Read<SeedAccounts>(folder, "accounts.json");
        var bodies = Read<List<SeedBody>>(folder, "bodies.json");
        var sessions = Read<List<SeedSession>>(folder, "sessions.json");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var hasher = new PasswordHasher<AppUser>();
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var roleIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var existingRoles = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, StringComparer.Ordinal, ct);
        foreach (var role in Roles.All)
        {
            if (existingRoles.TryGetValue(role, out var id))
            {
                roleIds[role] = id;
                continue;
            }

            var entity = new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() };
            db.Roles.Add(entity);
            roleIds[role] = entity.Id;
        }

        var users = new Dictionary<string, AppUser>(StringComparer.OrdinalIgnoreCase);
        AppUser AddUser(string userName, string displayName, string? displayNameEn, string password, IEnumerable<string> roles)
        {
            var user = new AppUser
            {
                UserName = userName,
                NormalizedUserName = userName.ToUpperInvariant(),
                Email = $"{userName}@demo.invalid",
                NormalizedEmail = $"{userName}@demo.invalid".ToUpperInvariant(),
                EmailConfirmed = true,
                DisplayName = displayName,
                DisplayNameEn = displayNameEn,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                // Like every account (AccountPolicy): wrong passwords lock it for a while.
                LockoutEnabled = true,
            };
            if (!hashes.TryGetValue(password, out var hash))
            {
                // Demo accounts sharing a password share one hash computation; each account is still a normal Identity user.
                hash = hasher.HashPassword(user, password);
                hashes[password] = hash;
            }

            user.PasswordHash = hash;
            db.Users.Add(user);
            foreach (var role in roles)
            {
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleIds[role] });
            }

            users[userName] = user;
            return user;
        }

        foreach (var account in accounts.Accounts)
        {
            AddUser(account.UserName, account.DisplayName, account.DisplayNameEn, account.Password, account.Roles);
        }

        var orgs = organisations.ToDictionary(o => o.Key, o => new Organisation(o.Key, o.Name, o.NameEn, Enum.Parse<OrganisationKind>(o.Kind)), StringComparer.Ordinal);
        db.Organisations.AddRange(orgs.Values);

        var bodyByKey = new Dictionary<string, Body>(StringComparer.Ordinal);
        var memberCount = 0;
        foreach (var seed in bodies)
        {
            var parent = seed.ParentKey is null ? null : bodyByKey[seed.ParentKey];
            var body = new Body(seed.Key, seed.Name, seed.NameEn, Enum.Parse<BodyKind>(seed.Kind), parent);
            body.Describe(seed.Description, seed.DescriptionEn);
            body.SetRules(new QuorumRule(seed.QuorumNumerator ?? 1, seed.QuorumDenominator ?? 2), seed.SpeakingTimeSeconds ?? 180);
            foreach (var t in seed.Terms ?? [])
            {
                var term = body.AddTerm(t.Number, t.Name, t.NameEn, t.StartsOn, t.EndsOn);
                foreach (var m in t.Members ?? [])
                {
                    string? userId = null;
                    if (m.UserName is not null)
                    {
                        if (!users.TryGetValue(m.UserName, out var user))
                        {
                            user = AddUser(m.UserName, m.Name, null, accounts.MemberPassword, [Roles.Representative]);
                        }

                        userId = user.Id;
                    }

                    term.AddMember(m.Name, Enum.Parse<MemberRole>(m.Role), m.OrganisationKey is null ? null : orgs[m.OrganisationKey], userId);
                    memberCount++;
                }
            }

            db.Bodies.Add(body);
            bodyByKey[seed.Key] = body;
        }

        await db.SaveChangesAsync(ct);

        var chair = users.TryGetValue("chair", out var c) ? c : users.Values.First();
        var now = clock.GetUtcNow().UtcDateTime;
        var numbers = new Dictionary<int, int>();
        foreach (var seed in sessions.OrderBy(s => s.ScheduledAt))
        {
            var body = bodyByKey[seed.BodyKey];
            var term = body.Terms.Single(t => t.Number == seed.TermNumber);
            var number = numbers[term.Id] = numbers.GetValueOrDefault(term.Id) + 1;
            var session = Session.Schedule(body, term, number, Enum.Parse<SessionKind>(seed.Kind), seed.Title, seed.ScheduledAt.UtcDateTime, seed.Place, chair.Id, now);
            foreach (var item in seed.Agenda)
            {
                session.AddAgendaItem(item.Title, item.PlannedMinutes, item.Description);
            }

            db.Sessions.Add(session);
        }

        await db.SaveChangesAsync(ct);

        if (File.Exists(Path.Combine(folder, "proposals.json")))
        {
            var seeded = Read<SeedProposals>(folder, "proposals.json");
            foreach (var p in seeded.Proposals)
            {
                var author = users[p.Author];
                var proposal = Proposal.Draft(bodyByKey[p.BodyKey].Id, p.Title, p.Text, Enum.Parse<ProposalCategory>(p.Category),
                    p.OrganisationKey is null ? null : orgs[p.OrganisationKey].Id, author.Id, author.DisplayName, now);
                if (p.Status != nameof(ProposalStatus.Draft))
                {
                    proposal.Submit(author.Id, now);
                    foreach (var sponsor in p.CoSponsors)
                    {
                        proposal.CoSponsor(users[sponsor].Id, users[sponsor].DisplayName, now);
                    }
                }

                db.Proposals.Add(proposal);
            }

            foreach (var t in seeded.Topics)
            {
                db.TopicSubmissions.Add(TopicSubmission.Submit(bodyByKey[t.BodyKey].Id, t.Title, t.Text, Enum.Parse<ProposalCategory>(t.Category), t.Name, t.Contact, "seed", now));
            }

            await db.SaveChangesAsync(ct);
        }

        // The work ledger's items that come from no decision, recorded by the body's own secretariat (the keeper); those
        // of decisions are made by the seeded decisions below, through the path a live decision takes.
        var ledger = File.Exists(Path.Combine(folder, "ledger.json")) ? Read<SeedLedger>(folder, "ledger.json").Items : [];
        var userIds = users.ToDictionary(u => u.Key, u => u.Value.Id, StringComparer.OrdinalIgnoreCase);
        await LedgerSeeder.RecordAsync(db, ledger, bodyByKey, userIds, now, ct);

        if (File.Exists(Path.Combine(folder, "projects.json")))
        {
            // Wujiaochang's project-claiming board: each claim requested and confirmed by the conference's secretary.
            var seeded = Read<SeedProjects>(folder, "projects.json");
            var keeper = users[seeded.Keeper].Id;
            foreach (var p in seeded.Projects)
            {
                var project = ServiceProject.Publish(bodyByKey[seeded.BodyKey].Id, new ProjectInput(p.Title, p.Description, Enum.Parse<ProjectCategory>(p.Category), p.UnitsNeeded), keeper, now);
                foreach (var unit in p.Claims)
                {
                    project.Confirm(project.Claim(orgs[unit].Id, null, keeper, now), keeper, now);
                }

                foreach (var report in p.Reports ?? [])
                {
                    project.Report(orgs[report.Unit].Id, report.Text, keeper, now);
                }

                db.ServiceProjects.Add(project);
            }

            await db.SaveChangesAsync(ct);
        }

        // The two hearings of the articles, completed, on their seeded sessions (times shown as in Shanghai).
        // Each hearing's published decision feedback adds its follow-up item as a live one does (LedgerFollowUps, with the
        // default follow-up period and display time zone: the seed runs before the app's configuration is at hand).
        var followUps = new LedgerFollowUps(Options.Create(new LedgerOptions()), Options.Create(new DisplayOptions()));
        await Hearings.HearingSeeder.LoadAsync(db, folder, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), followUps, ct);

        // The Chengli consultations of the article, decided, on their seeded sessions; each decision records the follow-up
        // items ledger.json names for it, as a live decision does (before the past sessions are closed, so that their
        // published minutes carry the consultation).
        await Consultations.ConsultationSeeder.LoadAsync(db, folder, ledger, ct);

        // The follow-ups of those decisions, taken through their steps by the secretariat (closed out, in progress, overdue).
        await LedgerSeeder.WorkOnFollowUpsAsync(db, ledger, bodyByKey, userIds, now, ct);

        // The council sessions and consultations held before today: closed as the seeds say, their minutes published.
        await PastSessionSeeder.LoadAsync(db, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), now, ct);

        await tx.CommitAsync(ct);
        return new SeedReport(true, orgs.Count, bodyByKey.Count, memberCount, users.Count, sessions.Count);
    }

    private static T Read<T>(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new InvalidDataException($"{path} is empty");
    }
}

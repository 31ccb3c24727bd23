using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace CommunityDeliberation.Deliberation.Shared.Identity;

public enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
}

/// <summary>The outcome of a password check and, when it succeeded, the account.</summary>
public sealed record SignInCheck(SignInOutcome Outcome, AppUser? User);

/// <summary>
/// The password check behind both sign-ins (the cookie form and the hub's <c>/api/auth/login</c>): lockout on failure
/// (<see cref="AccountPolicy"/>), and the same work for an unknown name as for a known one — a password hash is verified
/// against a placeholder hash — so the time taken does not tell which names have accounts.
/// </summary>
public sealed class PasswordSignIn(UserManager<AppUser> users, SignInManager<AppUser> signIn)
{
    public const int MaxUserNameLength = 100;

    public const int MaxPasswordLength = 200;

    private static readonly AppUser Nobody = new() { Id = "00000000-0000-0000-0000-000000000000", UserName = "nobody" };

    private static string? _placeholderHash;

    public async Task<SignInCheck> CheckAsync(string? userName, string? password)
    {
        var name = (userName ?? string.Empty).Trim();
        password ??= string.Empty;
        // Out-of-bounds input is refused before any lookup, for every name alike.
        if (name.Length is 0 or > MaxUserNameLength || password.Length is 0 or > MaxPasswordLength)
        {
            return new SignInCheck(SignInOutcome.Failed, null);
        }

        var user = await users.FindByNameAsync(name);
        if (user is null)
        {
            var hasher = users.PasswordHasher;
            // Hashed once, by the same hasher with the same settings as real passwords, so verifying costs the same.
            _placeholderHash ??= hasher.HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)));
            hasher.VerifyHashedPassword(Nobody, _placeholderHash, password);
            return new SignInCheck(SignInOutcome.Failed, null);
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        return result.Succeeded ? new SignInCheck(SignInOutcome.Succeeded, user)
            : new SignInCheck(result.IsLockedOut ? SignInOutcome.LockedOut : SignInOutcome.Failed, null);
    }
}

import { describe, expect, it } from 'vitest';
import { explainExtraction, extractOTP } from '../src/index.js';
import { SENDER_FORMATS, senderFormat } from '../src/sender-formats.js';

// One rule per failure category of issue 14's independent test sets, each tested on messages
// written here (not corpus cases), both the message it must now read and the one it must still refuse.
function code(text: string, from?: string): string | null {
  return extractOTP({ source: 'sms', text, from })?.code ?? null;
}

describe('failure categories of issue 14', () => {
  it('reads an account, order or phone word after the keyword as what the code is for', () => {
    expect(code('Use this code to verify your account:\n\n842339')).toBe('842339');
    expect(code('To confirm your phone number enter 629401 in the app.')).toBe('629401');
    expect(code('Voer de code in om je account te activeren:\n\n888103')).toBe('888103');
    // Code first: the word right before the keyword qualifies the keyword.
    expect(code('Use 4821 as Microsoft account security code')).toBe('4821');
    // The same words still label the number right after them.
    expect(code('Your account:\n12345678\nBalance: 1,234.00')).toBeNull();
    expect(code('Verify your account number 12345678 in the app.')).toBeNull();
    expect(code('Ihre Auftragsnummer lautet 12345678.')).toBeNull();
  });

  it('accepts 9 and 10 digits a few words after a strong or generic keyword of their sentence', () => {
    expect(code('Код подтверждения перевода: 8857049081. Никому не сообщайте.')).toBe('8857049081');
    expect(code('Tu clave de firma es 9183098388.')).toBe('9183098388');
    expect(code('Your security code is:\n\n2209184730')).toBe('2209184730');
    // Not from a keyword of another sentence, nor from a weak one.
    expect(code('Your code expires in 10 minutes. Account 1234567890 was debited.')).toBeNull();
    expect(code('Please verify the transfer to 4401928374 today.')).toBeNull();
  });

  it('cuts a code glued to an accented word at the word', () => {
    expect(code('Tu código es 571118Válido por 10 minutos.')).toBe('571118');
    expect(code('Dein Code lautet 482913Gültig 5 Minuten')).toBe('482913');
  });

  it('reads letters typed one by one under a label line, never a shop name after a bare "kod"', () => {
    expect(code('Enter this code to sign in:\n\nQ W R T Z M\n\nIt expires soon.')).toBe('QWRTZM');
    expect(code('Your code: KWPT')).toBe('KWPT');
    expect(code('Plaćanje 450,00 RSD karticom *4471 kod IDEA 01.12.')).toBeNull();
    expect(code('Enter this code to sign in.\n\nQ W R T Z M')).toBeNull();
  });

  it('lets a verification verb in the code’s sentence outweigh a booking topic', () => {
    expect(code('Flight LX318 on 3 MAR: to pick a seat, verify your email with code 552091.')).toBe('552091');
    expect(code('Your booking code is K7XQ2P. Flight BA2490 boards at gate 12.')).toBeNull();
  });

  it("reads a merchant's domain as a name, and the sender's own domain as the topic", () => {
    expect(code('Kód 318224 potvrzuje platbu kartou 120,00 CZK u BOOKING.COM.')).toBe('318224');
    expect(code('Booking.com: your verification code is 123456')).toBe('123456');
    expect(code('Booking.com: your confirmation number is 4829103442 and PIN 7710.')).toBeNull();
  });

  it('refuses a postcode between a street address and its town', () => {
    expect(code('Vaša pošiljka čeka kod susjeda, Vukovarska 58, 21000 Split.')).toBeNull();
    expect(code('Calle Mayor 12, 28013 Madrid. Tu código es 482913.')).toBe('482913');
  });

  it('refuses promo codes, gift-card PINs and authorisation codes in more languages', () => {
    expect(code('Kod za popust JESEN20 vrijedi do nedjelje!')).toBeNull();
    expect(code('Guna kod RAYA15 untuk diskaun 15%!')).toBeNull();
    expect(code('Dùng mã TET50K để được giảm giá 50K.')).toBeNull();
    expect(code('Il tuo buono regalo è pronto.\nCodice: 6006-1122-3344\nPIN: 9051')).toBeNull();
    expect(code('Pembayaran berhasil\nKode otorisasi: 553092\nTotal: Rp 125.000')).toBeNull();
    expect(code('Zahlung erfolgreich.\nAutorisierungscode: 072913')).toBeNull();
  });

  it('reads "code" inside a longer word as another word, and where a code went or a hotline as no code', () => {
    expect(code('Codeforces Round 4821 starts in 2 hours.')).toBeNull();
    expect(code('Encode 482913 in base64.')).toBeNull();
    expect(code('Decode the puzzle: 4821')).toBeNull();
    expect(code('Use the 6-digit code we sent to 4471.')).toBeNull();
    expect(code('La banque ne vous demandera jamais votre code. Service client : 3639')).toBeNull();
    // Plurals and real compounds still count.
    expect(code('Your codes: 482913')).toBe('482913');
    expect(code('Ihr SMS-Code: 482913')).toBe('482913');
    expect(code('Je inlogcode is 482913')).toBe('482913');
  });

  it('reads a generic keyword beside a discount in its sentence as a promo code', () => {
    expect(code('Use code 4821 for 10% off your next ride!')).toBeNull();
    expect(code('Your loyalty card PIN is 4821.')).toBeNull();
    expect(code('Your delivery PIN is 4821. Share it with your courier.')).toBeNull();
    // A discount in another sentence, a verification verb or an OTP-specific keyword: still a code.
    expect(code('Your code is 482913. Get 10% off your next order!')).toBe('482913');
    expect(code('Verify your email with code 4821 to get 10% off')).toBe('4821');
    expect(code('Your verification code 482913 - 20% off ends today')).toBe('482913');
  });

  it('reads a whole label sentence ending in a colon as the label of the line under it', () => {
    expect(code('Use this code to confirm your email address:\nKXWQ-TRZM')).toBe('KXWQTRZM');
    expect(code("Here's your verification code for signing in to your Riot account:\n\nRMKQTV")).toBe(
      'RMKQTV',
    );
    expect(code('Your one-time passcode for the Social Security online account is:\n\n  47102938')).toBe(
      '47102938',
    );
    // Without the colon the label does not reach the next line's letters.
    expect(code('Use this code to confirm your email address\nKXWQTRZM')).toBeNull();
  });

  it('reads the words before a colon right before the code as its label', () => {
    expect(code('Ihr Bestätigungscode für Vinted: KTZQRM')).toBe('KTZQRM');
    // A keyword farther back than a short label is not the label's.
    expect(
      code('Bestätigungscode? Den gibt es nicht mehr, bei uns zahlen Sie an der Kasse im Laden: KTZQRM'),
    ).toBeNull();
  });

  it('reads "lautet" as closing the sentence that names the code, however long', () => {
    expect(
      code(
        'Ihre TAN für die Überweisung von 1.250,00 EUR an M. Weber, IBAN DE89 3704 0044 0532 0130 00 lautet 618204.',
      ),
    ).toBe('618204');
  });

  it('refuses the confirmation code of a payment that went through, not of one still to confirm', () => {
    expect(code('Payment of $45.00 to Comcast approved. Confirmation code 482019.')).toBeNull();
    expect(
      code('Bill pay confirmed: $112.40 to Duke Energy on 12/03. Confirmation code: 9920341.'),
    ).toBeNull();
    expect(
      code('Your confirmation code is 603318. Use it to confirm your payment of $250.00 to J SMITH.'),
    ).toBe('603318');
  });

  // The participles that end in a letter JavaScript's `\b` does not know ('é', 'ı').
  it('reads a completed payment in French and Turkish too', () => {
    expect(code('Paiement de 45,00 € effectué. Code de confirmation : 482019.')).toBeNull();
    expect(code('Paiement de 89,90 EUR accepté. Code de confirmation 730215.')).toBeNull();
    expect(code('120,00 TL tutarındaki ödemeniz onaylandı. Onay kodu: 551902.')).toBeNull();
  });

  it('reads a bare "code" after an offer as the offer\'s, and an offer after the code as a footer', () => {
    expect(
      code('Starbucks Rewards: Double Stars day! Use code 4418 for a free pastry with any drink.'),
    ).toBeNull();
    expect(code("Domino's: Large pizza for $7.99 carryout! Online code 9193. Order now")).toBeNull();
    expect(code('Your code is 482913. Get 10% off your next order!')).toBe('482913');
  });

  it('joins two equal halves of capitals split by a space, and nothing else split by one', () => {
    expect(code('Your Microsoft verification code is KXWQ TRZM')).toBe('KXWQTRZM');
    expect(code('Your verification code is KXW TRZ')).toBe('KXWTRZ');
    // A label in capitals before the code is not a code itself.
    expect(code('Hinge: YOUR CODE: 482913')).toBe('482913');
    expect(code('Tinder: THIS CODE 5521 expires soon, verify now')).toBe('5521');
  });

  it("reads a PIN for the driver as a ride's, not a sign-in code", () => {
    expect(code('Your Lyft driver code: 4471. Ride with Toyota Camry 8KXT220 arriving in 3 min.')).toBeNull();
  });

  it('reads amounts before a currency code as prices', () => {
    expect(code('OTP Bank: jóváírás 150 000 Ft. Egyenleg: 412 330 Ft.')).toBeNull();
    expect(code('Parol dlya podtverzhdeniya platezha 1500 RUB: 58491.')).toBe('58491');
  });
});

describe('language tags of the languages folded in with the former held-out split', () => {
  it('names the language of the sentence, by script, telltale letters and function words', () => {
    const samples: Array<[string, string]> = [
      ['Вашият код за вход е 418230. Не го споделяйте с никого.', 'bg'],
      ['Ваш једнократни код је 418230. Никоме га не откривајте.', 'sr'],
      ['Vaš kod za potvrdu je 418230. Ne delite ga ni sa kim.', 'sr'],
      ['Vaš kod za prijavu je 418230. Nikome ga ne otkrivajte, vrijedi 5 minuta.', 'hr'],
      ['Engangskoden din er 418230. Ikke del den med noen.', 'no'],
      ['Din engangskode er 418230. Del den ikke med nogen.', 'da'],
      ['Ang iyong verification code ay 418230. Huwag itong ibahagi.', 'tl'],
      ['418230 என்பது உங்கள் OTP ஆகும்.', 'ta'],
      ['آپ کا او ٹی پی 418230 ہے۔ کسی کے ساتھ شیئر نہ کریں۔', 'ur'],
      ['O kodikos epalithefsis sas einai 418230.', 'el'],
      ['Vash kod pidtverdzhennia: 418230. Nikomu ne povidomliaite.', 'uk'],
      ['Aap ka tasdeeqi code 418230 hai. Kisi ko na batayen.', 'ur'],
    ];
    for (const [text, language] of samples) expect(extractOTP({ text })?.language, text).toBe(language);
  });
});

describe('sender formats', () => {
  it('accepts a three-digit PIN only from a sender known to send one', () => {
    expect(code('Su PIN de Cl@ve es 815. Válido hasta las 10:45.')).toBe('815');
    expect(code('Tu PIN es 815.', 'AEAT')).toBe('815');
    expect(code('Tu PIN es 815.')).toBeNull();
    expect(code('Your PIN is 815.', '+15550100')).toBeNull();
  });

  it('caps the confidence of a short code and says why in the explanation', () => {
    const { result, candidates } = explainExtraction({ text: 'Su PIN de Cl@ve es 815.' });
    expect(result?.confidence).toBeLessThanOrEqual(0.85);
    expect(candidates[0]?.reasons[0]).toBe('3 digits (a short code Cl@ve PIN is known to send)');
  });

  it('recognises a sender by its id or by its name in the message', () => {
    expect(senderFormat('Agencia Tributaria', 'PIN 123')?.name).toBe('Cl@ve PIN');
    expect(senderFormat(undefined, 'su pin de cl@ve es 815')?.name).toBe('Cl@ve PIN');
    expect(senderFormat('+34600000000', 'your code is 123456')).toBeUndefined();
    for (const format of SENDER_FORMATS) expect(format.shortestCode).toBeLessThan(4);
  });
});

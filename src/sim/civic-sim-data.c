/* civic-sim-data.c
 *
 * The words of the Jun data set: departments, citizens' names, what they
 * write to each department, how the departments answer, and places
 * written the three ways people write them (decimal pairs, `geo:` text and
 * OpenStreetMap links). Everything is drawn from one seeded GRand, so a
 * seed always gives the same town.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "civic-sim-private.h"

const SimDepartment sim_departments[] = {
  { "policia", "Policía Local de Jun",
    "Policía Local del Ayuntamiento de Jun. Para emergencias llama al 112.\n"
    "Atendemos las menciones de 8:00 a 22:00.", 220 },
  { "limpieza", "Limpieza Jun",
    "Servicio municipal de limpieza y recogida de residuos de Jun: contenedores, enseres y "
    "limpieza de calles.", 130 },
  { "tecnicos", "Servicios Técnicos Jun",
    "Alumbrado, baches, fuentes, parques y mantenimiento urbano del Ayuntamiento de Jun.", 30 },
  { "comedor", "Comedor Escolar Jun",
    "Comedor escolar del CEIP de Jun. Publicamos el menú cada día. ¡Buen provecho!", 45 },
  { "salud", "Centro de Salud de Jun",
    "Centro de Salud de Jun. Pide cita por mensaje directo con tu nombre completo y tu fecha "
    "de nacimiento.", 190 },
  { "alcaldia", "Alcaldía de Jun",
    "Cuenta oficial de la Alcaldía de Jun. Respondemos en menos de una hora. #Jun", 280 },
};

const guint sim_n_departments = G_N_ELEMENTS (sim_departments);

enum { POLICIA, LIMPIEZA, TECNICOS, COMEDOR, SALUD, ALCALDIA };

#define NONE G_MAXUINT

typedef struct
{
  const char *name;
  double north;          /* metres from Jun's centre */
  double east;
} Street;

/* Street names common in Andalusian villages, placed around the centre so
 * that reports about one street cluster on the map. */
static const Street streets[] = {
  { "la calle Real", 40, -60 },
  { "la plaza de la Constitución", 0, 0 },
  { "la calle Iglesia", 70, 30 },
  { "la calle Granada", -160, 210 },
  { "la calle Pilar", 120, -150 },
  { "la avenida de Andalucía", -260, -120 },
  { "el camino de la Fuente", 300, 180 },
  { "la calle Alcazaba", 210, -40 },
  { "la calle Molino", -90, -260 },
  { "la calle Nueva", -40, 140 },
  { "la calle Horno", 160, 90 },
  { "la calle Ermita", 340, -220 },
  { "el paseo de los Álamos", -320, 60 },
  { "la calle Federico García Lorca", -200, -20 },
  { "la calle Sierra Nevada", 250, 300 },
  { "la calle Cervantes", -120, 330 },
};

static const Street landmarks[] = {
  { "la plaza del Ayuntamiento", 10, 20 },
  { "el parque infantil", -180, 90 },
  { "la puerta del colegio", -230, 160 },
  { "el centro de salud", 90, 240 },
  { "la parada del autobús", -280, -170 },
  { "el polideportivo", -380, 120 },
  { "la iglesia", 80, 40 },
  { "el mercadillo", 20, -110 },
  { "el lavadero", 260, -90 },
  { "el mirador", 390, 20 },
};

static const char * const first_names[] = {
  "María", "Carmen", "Josefa", "Isabel", "Ana", "Dolores", "Pilar", "Rosario", "Antonia",
  "Encarnación", "Francisca", "Lucía", "Marta", "Elena", "Laura", "Cristina", "Rocío",
  "Inmaculada", "Mercedes", "Ángeles", "Paula", "Alba", "Nerea", "Sara", "Irene", "Manuela",
  "Antonio", "José", "Manuel", "Francisco", "Juan", "David", "Javier", "Miguel", "Rafael",
  "Pedro", "Ángel", "Luis", "Carlos", "Jesús", "Alejandro", "Sergio", "Pablo", "Fernando",
  "Andrés", "Joaquín", "Emilio", "Álvaro", "Rubén", "Adrián", "Iván", "Salvador",
};

static const char * const surnames[] = {
  "García", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín",
  "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Navarro",
  "Torres", "Domínguez", "Ramos", "Gil", "Serrano", "Molina", "Morales", "Ortega", "Delgado",
  "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Núñez", "Iglesias", "Medina", "Garrido",
  "Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano", "Prieto", "Méndez", "Cruz",
  "Calvo", "Gallego", "Vidal", "León", "Herrera", "Márquez", "Peña", "Flores", "Cabrera",
  "Campos", "Vega", "Fuentes", "Carrasco", "Caballero", "Nieto", "Reyes", "Aguilar", "Pascual",
  "Heredia", "Maldonado", "Fernández", "Vílchez", "Almendros", "Olmedo",
};

typedef struct
{
  guint department;
  guint second;          /* another department mentioned, or NONE */
  int visibility;
  int scene;             /* a photo may go with it, or -1 */
  const char *text;
} Template;

/* {calle} a street, {lugar} a landmark, {num} a house number, {dia} a day,
 * {hora} a time. The leading mentions are added by the caller. */
static const Template templates[] = {
  /* Policía Local */
  { POLICIA, NONE, SIM_VIS_PUBLIC, SIM_SCENE_CAR,
    "Hay un coche mal aparcado en {calle}, delante del número {num}, tapando la salida de un garaje desde hace más de una hora. ¿Podéis mandar a alguien?" },
  { POLICIA, NONE, SIM_VIS_PUBLIC, SIM_SCENE_CAR,
    "¡Accidente en el cruce de {calle} con {calle2}! Un turismo y una moto. El motorista está en el suelo, parece que le duele la pierna." },
  { POLICIA, NONE, SIM_VIS_PUBLIC, -1,
    "Música altísima en un piso de {calle} desde las doce. Son casi las dos y mañana hay que trabajar. ¿Pueden pasar?" },
  { POLICIA, NONE, SIM_VIS_PUBLIC, -1,
    "Me han robado la bicicleta en {lugar}; estaba atada con candado. ¿Dónde pongo la denuncia?" },
  { POLICIA, NONE, SIM_VIS_PUBLIC, -1,
    "Hay dos perros sueltos por {lugar} y los niños tienen miedo. No llevan collar." },
  { POLICIA, NONE, SIM_VIS_PUBLIC, -1,
    "Los coches pasan muy rápido por {calle} a la hora de salida del colegio. ¿Se podría poner a alguien o un badén?" },
  { POLICIA, NONE, SIM_VIS_PUBLIC, -1,
    "Huele mucho a humo por {calle}, parece que sale de un solar. ¿Lo sabéis ya?" },
  { POLICIA, NONE, SIM_VIS_PUBLIC, -1,
    "Un señor mayor parece desorientado en {lugar}, no sabe volver a casa. Me quedo con él hasta que lleguéis." },
  { POLICIA, NONE, SIM_VIS_PUBLIC, SIM_SCENE_CAR,
    "Una furgoneta lleva tres días aparcada en el paso de peatones de {calle}. Las sillas de ruedas no pueden pasar." },
  { POLICIA, NONE, SIM_VIS_PUBLIC, -1,
    "Esta noche han roto el cristal de un coche en {calle}. ¿Habéis tenido más avisos por la zona?" },
  { POLICIA, NONE, SIM_VIS_DIRECT, -1,
    "Quería comentarles en privado que hay un vecino que está recibiendo amenazas. ¿Cómo podemos hablar con ustedes?" },
  { POLICIA, ALCALDIA, SIM_VIS_PUBLIC, -1,
    "Otra vez botellón en {lugar} hasta las cuatro de la mañana, con cristales rotos por todas partes. ¿Se va a hacer algo?" },
  { POLICIA, TECNICOS, SIM_VIS_PUBLIC, SIM_SCENE_TREE,
    "Se ha caído un árbol en {calle} con el viento y corta el paso a los coches. Tened cuidado si vais por ahí." },

  /* Limpieza */
  { LIMPIEZA, NONE, SIM_VIS_PUBLIC, SIM_SCENE_RUBBISH,
    "Los contenedores de {calle} llevan tres días sin vaciarse y huele fatal con este calor." },
  { LIMPIEZA, NONE, SIM_VIS_PUBLIC, SIM_SCENE_RUBBISH,
    "Hay bolsas de basura tiradas junto al contenedor de {lugar}. Los gatos las han roto y está todo por el suelo." },
  { LIMPIEZA, NONE, SIM_VIS_PUBLIC, -1,
    "Excrementos de perro por toda la acera de {calle}. ¿Podrían pasar a limpiar? Y a ver si los dueños se conciencian." },
  { LIMPIEZA, NONE, SIM_VIS_PUBLIC, SIM_SCENE_RUBBISH,
    "El contenedor amarillo de {calle} está roto y la tapa no cierra. Se vuelan los plásticos." },
  { LIMPIEZA, NONE, SIM_VIS_PUBLIC, -1,
    "¿Qué día pasa la recogida de enseres? Tengo un colchón y un somier viejos." },
  { LIMPIEZA, NONE, SIM_VIS_PUBLIC, SIM_SCENE_RUBBISH,
    "Alguien ha dejado un sofá y varias cajas al lado del contenedor de {calle}. No es el día de enseres." },
  { LIMPIEZA, NONE, SIM_VIS_PUBLIC, -1,
    "Después de la fiesta del sábado, {lugar} ha quedado lleno de vasos, papeles y cristales." },
  { LIMPIEZA, NONE, SIM_VIS_PUBLIC, -1,
    "Hojas y barro acumulados en {calle} después de la lluvia. Se resbala muchísimo." },
  { LIMPIEZA, NONE, SIM_VIS_PUBLIC, -1,
    "¿Se puede poner un contenedor de vidrio más cerca de {lugar}? El que hay siempre está lleno." },
  { LIMPIEZA, POLICIA, SIM_VIS_PUBLIC, SIM_SCENE_RUBBISH,
    "Están quemando basura en un contenedor de {calle}, sale mucho humo negro." },

  /* Servicios Técnicos */
  { TECNICOS, NONE, SIM_VIS_PUBLIC, SIM_SCENE_STREETLAMP,
    "La farola de {calle}, frente al número {num}, lleva una semana apagada y de noche no se ve nada." },
  { TECNICOS, NONE, SIM_VIS_PUBLIC, SIM_SCENE_STREETLAMP,
    "Se han fundido tres farolas seguidas en {calle}. Las personas mayores no se atreven a salir de noche." },
  { TECNICOS, NONE, SIM_VIS_PUBLIC, SIM_SCENE_STREETLAMP,
    "La farola de {lugar} se enciende y se apaga toda la noche, parpadeando." },
  { TECNICOS, NONE, SIM_VIS_PUBLIC, SIM_SCENE_POTHOLE,
    "Hay un bache enorme en {calle}, casi me caigo con la moto. Cuando llueve ni se ve." },
  { TECNICOS, NONE, SIM_VIS_PUBLIC, SIM_SCENE_LEAK,
    "Hay una fuga de agua en {calle}: sale agua de una arqueta desde esta mañana." },
  { TECNICOS, NONE, SIM_VIS_PUBLIC, -1,
    "El banco de {lugar} tiene una tabla suelta con los tornillos fuera. Un niño se ha hecho un arañazo." },
  { TECNICOS, NONE, SIM_VIS_PUBLIC, -1,
    "La fuente de {lugar} no echa agua desde el lunes." },
  { TECNICOS, NONE, SIM_VIS_PUBLIC, SIM_SCENE_POTHOLE,
    "Baldosas levantadas en la acera de {calle}. Una vecina mayor ha tropezado esta mañana." },
  { TECNICOS, NONE, SIM_VIS_PUBLIC, -1,
    "El columpio pequeño de {lugar} tiene la cadena rota. Convendría quitarlo hasta que se arregle." },
  { TECNICOS, NONE, SIM_VIS_PUBLIC, SIM_SCENE_LEAK,
    "La alcantarilla de {calle} está atascada y cuando llueve se forma una balsa enorme." },
  { TECNICOS, NONE, SIM_VIS_PUBLIC, -1,
    "La señal de ceda el paso de {calle} está doblada y no se ve desde los coches." },

  /* Comedor Escolar */
  { COMEDOR, NONE, SIM_VIS_PUBLIC, -1, "¿Cuál es el menú de mañana en el comedor?" },
  { COMEDOR, NONE, SIM_VIS_PUBLIC, -1,
    "Mi hija es celíaca. ¿Hay menú sin gluten esta semana? ¿Hay que avisar antes?" },
  { COMEDOR, NONE, SIM_VIS_PUBLIC, -1, "¿Se puede apuntar a un niño al comedor a mitad de mes?" },
  { COMEDOR, NONE, SIM_VIS_PUBLIC, SIM_SCENE_PLATE,
    "¡Qué rico estaba el puchero de hoy! Mi hijo ha repetido 😄" },
  { COMEDOR, NONE, SIM_VIS_PUBLIC, -1, "¿Hay alternativa sin cerdo para {dia}?" },
  { COMEDOR, NONE, SIM_VIS_PUBLIC, -1,
    "¿A qué hora pueden recoger los padres a los niños que se quedan al comedor?" },
  { COMEDOR, NONE, SIM_VIS_PUBLIC, -1,
    "¿Se podría poner más fruta y menos fritos? Lo digo con cariño, que los niños lo agradecen." },
  { COMEDOR, NONE, SIM_VIS_PUBLIC, -1, "¿Cuánto cuesta el comedor para el segundo hijo?" },
  { COMEDOR, NONE, SIM_VIS_PUBLIC, -1,
    "Mañana mi hijo no va a comer en el comedor porque tiene médico. ¿Hace falta avisar por aquí?" },

  /* Centro de Salud: appointments by direct message */
  { SALUD, NONE, SIM_VIS_DIRECT, -1,
    "Buenos días, quería pedir cita con el médico de cabecera para {dia} por la mañana. Me llamo {nombre}." },
  { SALUD, NONE, SIM_VIS_DIRECT, -1,
    "¿Hay cita con la enfermera para sacarme sangre {dia}? Tengo que ir en ayunas, ¿verdad?" },
  { SALUD, NONE, SIM_VIS_DIRECT, -1,
    "Necesito renovar la receta de la tensión de mi madre, que ya no le quedan pastillas. ¿Cómo lo hago?" },
  { SALUD, NONE, SIM_VIS_DIRECT, -1,
    "Quisiera cambiar mi cita de {dia} a otro día porque no puedo ir. Soy {nombre}." },
  { SALUD, NONE, SIM_VIS_DIRECT, -1,
    "Mi padre necesita que le hagan una cura en casa, no puede andar. ¿Puede pasar la enfermera?" },
  { SALUD, NONE, SIM_VIS_DIRECT, -1,
    "Hola, ¿me pueden dar cita para el pediatra? El niño tiene fiebre desde anoche. Soy {nombre}." },
  { SALUD, NONE, SIM_VIS_PUBLIC, -1,
    "¿Cuándo empieza la campaña de la vacuna de la gripe? ¿Hay que pedir cita?" },
  { SALUD, NONE, SIM_VIS_PUBLIC, -1, "¿El centro de salud abre por la tarde en verano?" },

  /* Alcaldía */
  { ALCALDIA, NONE, SIM_VIS_PUBLIC, -1,
    "Señor alcalde, ¿cuándo van a arreglar el camino de {lugar}? Lleva así desde el invierno." },
  { ALCALDIA, NONE, SIM_VIS_PUBLIC, -1, "¿Para cuándo la piscina municipal abierta este año?" },
  { ALCALDIA, NONE, SIM_VIS_PUBLIC, -1,
    "Gracias por la feria de este año, ¡ha quedado muy bonita! #Jun" },
  { ALCALDIA, NONE, SIM_VIS_PUBLIC, -1,
    "¿Se va a hacer algo con los autobuses a Granada? Solo hay dos por la mañana y los estudiantes no llegan." },
  { ALCALDIA, NONE, SIM_VIS_PUBLIC, -1,
    "¿Hay ayudas para arreglar las fachadas de las casas antiguas del centro?" },
  { ALCALDIA, NONE, SIM_VIS_PUBLIC, -1,
    "Propongo poner más bancos a la sombra en {lugar} para las personas mayores." },
  { ALCALDIA, NONE, SIM_VIS_PUBLIC, -1,
    "¿Cuándo es el próximo pleno? Me gustaría asistir y preguntar por el aparcamiento." },
  { ALCALDIA, NONE, SIM_VIS_PUBLIC, -1,
    "¿Se puede usar el salón de actos para una reunión de la asociación de vecinos {dia}?" },
  { ALCALDIA, NONE, SIM_VIS_PUBLIC, -1,
    "Enhorabuena por el curso de redes para mayores. Mi madre ya me escribe por aquí 😊" },
  { ALCALDIA, TECNICOS, SIM_VIS_PUBLIC, SIM_SCENE_POTHOLE,
    "Vergüenza el estado de {calle}: baches, farolas apagadas y aceras rotas. ¿Hasta cuándo?" },
};

static const char * const openers[] = {
  "", "", "", "Buenos días. ", "Buenas tardes. ", "Hola, ", "Buenas. ", "Perdonad, ",
  "Hola, buenas. ",
};

static const char * const closers[] = {
  "", "", "", " Gracias.", " ¡Gracias!", " Un saludo.", " Muchas gracias de antemano.",
  " Gracias por todo.",
};

static const char * const closers_fix[] = {
  "", " Gracias.", " A ver si se puede arreglar pronto.", " Es urgente, por favor.",
  " Un saludo.", " ¡Gracias!",
};

static const char * const hashtags[][3] = {
  [POLICIA] = { " #Jun", " #SeguridadJun", NULL },
  [LIMPIEZA] = { " #Jun", " #LimpiezaJun", NULL },
  [TECNICOS] = { " #Jun", " #AlumbradoPúblico", NULL },
  [COMEDOR] = { " #MenúEscolar", " #Jun", NULL },
  [SALUD] = { "", "", NULL },
  [ALCALDIA] = { " #Jun", " #PlenoJun", NULL },
};

static const char * const days[] = {
  "el lunes", "el martes", "el miércoles", "el jueves", "el viernes", "mañana",
  "pasado mañana", "la semana que viene",
};

static const char * const replies[][5] = {
  [POLICIA] = {
    "{user} Gracias por el aviso. Una patrulla va de camino.",
    "{user} Recibido. Lo comprobamos ahora mismo y le contamos.",
    "{user} Gracias. Para denuncias puede pasar por la Jefatura de lunes a viernes de 9:00 a 14:00, o llamar al 958 000 000.",
    "{user} Ya estamos allí. La zona está señalizada; por favor, eviten pasar por ahí un rato.",
    "{user} Gracias por avisar. Si vuelve a ocurrir, llame al 112 para que podamos actuar en el momento.",
  },
  [LIMPIEZA] = {
    "{user} Gracias por avisar. Mañana a primera hora pasa el equipo de limpieza.",
    "{user} Tomamos nota. El camión de recogida pasa hoy por la tarde.",
    "{user} La recogida de enseres es los jueves: déjelos junto al contenedor el miércoles por la noche. ¡Gracias!",
    "{user} Ya está limpio. Gracias por colaborar.",
    "{user} Hemos pedido un contenedor nuevo; llegará en unos días.",
  },
  [TECNICOS] = {
    "{user} Tomamos nota. La brigada de mantenimiento lo revisará esta semana.",
    "{user} Gracias. El electricista pasa {dia} a cambiar la luminaria.",
    "{user} Ya está reparado. Gracias por avisar.",
    "{user} Hemos señalizado la zona y la reparación está prevista para {dia}.",
    "{user} Hemos avisado a la empresa del agua; van de camino.",
  },
  [COMEDOR] = {
    "{user} El menú de mañana: lentejas con verduras, merluza con ensalada y fruta de temporada. ¡Buen provecho!",
    "{user} Sí, hay menú sin gluten todos los días. Solo hay que traer el informe médico a secretaría.",
    "{user} Se puede apuntar en cualquier momento en la secretaría del colegio, de 9:00 a 10:00.",
    "{user} ¡Muchas gracias! Se lo diremos a las cocineras 😊",
    "{user} La salida del comedor es a las 15:30, por la puerta pequeña del patio.",
  },
  [SALUD] = {
    "{user} Buenos días. Le hemos dado cita para {dia} a las {hora}. Traiga su tarjeta sanitaria.",
    "{user} Hecho: tiene cita con la enfermera {dia} a las {hora}, en ayunas.",
    "{user} La receta ya está renovada; puede recogerla en la farmacia con la tarjeta sanitaria.",
    "{user} Cambiada. Su nueva cita es {dia} a las {hora}.",
    "{user} La enfermera pasará por su domicilio {dia} por la mañana.",
  },
  [ALCALDIA] = {
    "{user} Gracias por escribir. Lo estudiamos con el equipo de gobierno y le respondemos esta semana.",
    "{user} Está previsto en el presupuesto de este año. Las obras empiezan en primavera.",
    "{user} ¡Muchas gracias! Es un trabajo de todo el pueblo.",
    "{user} Lo llevamos al próximo pleno. Está invitado a venir a contarlo.",
    "{user} Estamos en conversaciones con la Junta para mejorarlo. Le mantenemos informado.",
  },
};

static const char * const follow_ups[] = {
  "¡Gracias por la rapidez!", "Perfecto, muchas gracias.", "Gracias, así da gusto.",
  "Vale, lo tendré en cuenta.", "¡Muchas gracias por contestar tan rápido!",
};

/* Follow-ups about something to be fixed or seen to: they may reopen it. */
static const char * const follow_ups_fix[] = {
  "Sigue igual, nadie ha pasado todavía.", "¿Alguna novedad? Sigue sin arreglar.",
  "Ya está arreglado, ¡gracias!", "Ha vuelto a pasar esta noche.",
  "Han venido esta mañana, todo resuelto. ¡Gracias!",
};

static const char * const menu_firsts[] = {
  "lentejas con verduras", "puchero de garbanzos", "arroz a la cubana", "sopa de picadillo",
  "crema de calabacín", "macarrones con tomate", "potaje de habichuelas", "ensalada de pasta",
  "gazpacho", "alubias con arroz",
};

static const char * const menu_seconds[] = {
  "merluza en salsa verde", "pollo asado con patatas", "tortilla de patatas con ensalada",
  "albóndigas en salsa", "lomo a la plancha con pimientos", "bacalao con tomate",
  "filete de pavo con arroz", "huevos rotos con verduras", "salmón al horno",
};

static const char * const menu_desserts[] = {
  "fruta de temporada", "yogur natural", "naranja", "plátano", "natillas", "manzana asada",
};

static const char * const place_prefixes[] = {
  "📍 ", "Ubicación: ", "Está aquí: ", "Os dejo el sitio: ", "", "Aquí: ",
};

static const char * const alts[] = {
  [SIM_SCENE_STREETLAMP] = "Farola apagada en una calle de casas blancas, de noche.",
  [SIM_SCENE_POTHOLE] = "Bache grande en el asfalto delante de unas casas encaladas.",
  [SIM_SCENE_RUBBISH] = "Contenedor verde con bolsas de basura tiradas en el suelo.",
  [SIM_SCENE_CAR] = "Coche aparcado ocupando la calle.",
  [SIM_SCENE_TREE] = "Árbol caído atravesado en la calle.",
  [SIM_SCENE_LEAK] = "Charco de agua que sale de una arqueta en la calle.",
  [SIM_SCENE_PLATE] = "Plato del comedor escolar.",
  [SIM_SCENE_AVATAR] = NULL,
};

struct _SimGen
{
  GRand *rand;           /* owned */
  GHashTable *usernames; /* owned: taken usernames */
};

SimGen *
sim_gen_new (guint64 seed)
{
  SimGen *gen = g_new0 (SimGen, 1);
  guint32 words[2] = { (guint32) seed, (guint32) (seed >> 32) ^ 0x4a756e };

  gen->rand = g_rand_new_with_seed_array (words, 2);
  gen->usernames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return gen;
}

void
sim_gen_free (SimGen *gen)
{
  if (gen == NULL)
    return;
  g_rand_free (gen->rand);
  g_hash_table_unref (gen->usernames);
  g_free (gen);
}

GRand *
sim_gen_rand (SimGen *gen)
{
  return gen->rand;
}

void
sim_mention_text_clear (SimMentionText *m)
{
  g_clear_pointer (&m->text, g_free);
  g_clear_pointer (&m->alt, g_free);
}

#define PICK(gen, array) ((array)[g_rand_int_range ((gen)->rand, 0, G_N_ELEMENTS (array))])

/* "María José" → "mariajose": lowercase ASCII for a username. */
static char *
ascii_fold (const char *s)
{
  g_autofree char *lower = g_utf8_strdown (s, -1);
  g_autofree char *folded = g_str_to_ascii (lower, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

void
sim_gen_citizen (SimGen  *gen,
                 guint    index,
                 char   **username,
                 char   **display_name)
{
  const char *first = PICK (gen, first_names);
  const char *last = PICK (gen, surnames);
  const char *last2 = PICK (gen, surnames);
  g_autofree char *f = ascii_fold (first);
  g_autofree char *l = ascii_fold (last);
  g_autofree char *candidate = NULL;
  int style = g_rand_int_range (gen->rand, 0, 6);

  switch (style)
    {
    case 0: candidate = g_strdup_printf ("%s_%s", f, l); break;
    case 1: candidate = g_strdup_printf ("%s%s", f, l); break;
    case 2: candidate = g_strdup_printf ("%c%s", f[0], l); break;
    case 3: candidate = g_strdup_printf ("%s_jun", f); break;
    case 4: candidate = g_strdup_printf ("%s%d", f, g_rand_int_range (gen->rand, 1950, 2008)); break;
    default: candidate = g_strdup_printf ("%s_%s%d", f, l, g_rand_int_range (gen->rand, 1, 99)); break;
    }
  if (g_hash_table_contains (gen->usernames, candidate))
    {
      char *numbered = g_strdup_printf ("%s%u", candidate, index);

      g_free (candidate);
      candidate = numbered;
    }
  g_hash_table_add (gen->usernames, g_strdup (candidate));
  *username = g_steal_pointer (&candidate);

  /* Some people write their name in full, some only the first name, and
   * a few in lower case as they type on the phone. */
  switch (g_rand_int_range (gen->rand, 0, 8))
    {
    case 0: *display_name = g_strdup (first); break;
    case 1: *display_name = g_utf8_strdown (first, -1); break;
    case 2: *display_name = g_strdup_printf ("%s %s %s", first, last, last2); break;
    default: *display_name = g_strdup_printf ("%s %s", first, last); break;
    }
}

static const Street *
pick_street (SimGen *gen)
{
  return &PICK (gen, streets);
}

static char *
expand (SimGen       *gen,
        const char   *template,
        const char   *name,
        const Street *street,
        const Street *street2,
        const Street *landmark)
{
  GString *out = g_string_new (NULL);

  for (const char *p = template; *p != '\0'; p++)
    {
      if (*p != '{')
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (g_str_has_prefix (p, "{calle2}"))
        {
          g_string_append (out, street2->name);
          p += strlen ("{calle2}") - 1;
        }
      else if (g_str_has_prefix (p, "{calle}"))
        {
          g_string_append (out, street->name);
          p += strlen ("{calle}") - 1;
        }
      else if (g_str_has_prefix (p, "{lugar}"))
        {
          g_string_append (out, landmark->name);
          p += strlen ("{lugar}") - 1;
        }
      else if (g_str_has_prefix (p, "{num}"))
        {
          g_string_append_printf (out, "%d", g_rand_int_range (gen->rand, 1, 48));
          p += strlen ("{num}") - 1;
        }
      else if (g_str_has_prefix (p, "{dia}"))
        {
          g_string_append (out, PICK (gen, days));
          p += strlen ("{dia}") - 1;
        }
      else if (g_str_has_prefix (p, "{hora}"))
        {
          g_string_append_printf (out, "%d:%02d", g_rand_int_range (gen->rand, 8, 14),
                                  g_rand_int_range (gen->rand, 0, 4) * 15);
          p += strlen ("{hora}") - 1;
        }
      else if (g_str_has_prefix (p, "{nombre}"))
        {
          g_string_append (out, name != NULL ? name : PICK (gen, first_names));
          p += strlen ("{nombre}") - 1;
        }
      else if (g_str_has_prefix (p, "{user}"))
        {
          g_string_append (out, name != NULL ? name : "");
          p += strlen ("{user}") - 1;
        }
      else
        g_string_append_c (out, *p);
    }

  /* Spanish contracts "de el" and "a el" (del paseo, al mirador). */
  {
    static const char * const pairs[][2] = {
      { " de el ", " del " }, { " a el ", " al " }, { "De el ", "Del " }, { "A el ", "Al " },
    };

    for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
      {
        char *at;

        while ((at = strstr (out->str, pairs[i][0])) != NULL)
          {
            gsize pos = at - out->str;

            g_string_erase (out, pos, strlen (pairs[i][0]));
            g_string_insert (out, pos, pairs[i][1]);
          }
      }
  }
  return g_string_free (out, FALSE);
}

/* A sentence begins with a capital even after an opener that ends in a
 * comma ("Hola, la farola…" keeps its lower case). */
static void
append_sentence (GString    *out,
                 const char *opener,
                 const char *text)
{
  g_string_append (out, opener);
  if (g_str_has_suffix (opener, ", "))
    {
      /* "Hola, ¿se puede…?": the question mark opens, the letter after it
       * is lower case. */
      if (g_str_has_prefix (text, "¿") || g_str_has_prefix (text, "¡"))
        {
          g_string_append_unichar (out, g_utf8_get_char (text));
          text = g_utf8_next_char (text);
        }
      g_string_append_unichar (out, g_unichar_tolower (g_utf8_get_char (text)));
      g_string_append (out, g_utf8_next_char (text));
    }
  else
    g_string_append (out, text);
}

void
sim_gen_point (SimGen *gen,
               double *lat,
               double *lon)
{
  double north = g_rand_double_range (gen->rand, -420, 420);
  double east = g_rand_double_range (gen->rand, -420, 420);

  *lat = SIM_JUN_LAT + north / 111320.0;
  *lon = SIM_JUN_LON + east / (111320.0 * cos (SIM_JUN_LAT * G_PI / 180));
}

static void
street_point (SimGen       *gen,
              const Street *street,
              double       *lat,
              double       *lon)
{
  /* Within a few tens of metres of the street's point: reports cluster. */
  double north = street->north + g_rand_double_range (gen->rand, -25, 25);
  double east = street->east + g_rand_double_range (gen->rand, -25, 25);

  *lat = SIM_JUN_LAT + north / 111320.0;
  *lon = SIM_JUN_LON + east / (111320.0 * cos (SIM_JUN_LAT * G_PI / 180));
}

char *
sim_gen_place (SimGen *gen,
               double  lat,
               double  lon)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
  const char *prefix = PICK (gen, place_prefixes);
  int digits = g_rand_boolean (gen->rand) ? 4 : 5;
  const char *fmt = digits == 4 ? "%.4f" : "%.5f";

  g_ascii_formatd (a, sizeof a, fmt, lat);
  g_ascii_formatd (b, sizeof b, fmt, lon);
  switch (g_rand_int_range (gen->rand, 0, 3))
    {
    case 0:
      return g_strdup_printf ("%s%s, %s", prefix, a, b);
    case 1:
      return g_strdup_printf ("%sgeo:%s,%s;u=%d", prefix, a, b, g_rand_int_range (gen->rand, 5, 40));
    default:
      return g_strdup_printf ("%shttps://www.openstreetmap.org/?mlat=%s&mlon=%s#map=19/%s/%s",
                              prefix, a, b, a, b);
    }
}

static guint
pick_department (SimGen *gen)
{
  /* How often each department is written to in a small town. */
  static const int weights[] = { 20, 22, 25, 8, 12, 13 };
  int r = g_rand_int_range (gen->rand, 0, 100);

  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    {
      if (r < weights[i])
        return i;
      r -= weights[i];
    }
  return ALCALDIA;
}

void
sim_gen_mention (SimGen         *gen,
                 guint           department,
                 const char     *author,
                 gboolean        with_place,
                 SimMentionText *out)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  const Template *t;
  const Street *street = pick_street (gen);
  const Street *street2 = pick_street (gen);
  const Street *landmark = &PICK (gen, landmarks);
  g_autofree char *body = NULL;
  GString *text = g_string_new (NULL);
  const char *hashtag;

  if (department >= sim_n_departments)
    department = pick_department (gen);
  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    if (templates[i].department == department)
      g_ptr_array_add (candidates, (gpointer) &templates[i]);
  t = g_ptr_array_index (candidates, g_rand_int_range (gen->rand, 0, candidates->len));
  while (street2 == street)
    street2 = pick_street (gen);

  body = expand (gen, t->text, author != NULL && *author != '\0' ? author : PICK (gen, first_names),
                 street, street2, landmark);
  append_sentence (text, department == SALUD ? "" : PICK (gen, openers), body);
  if (department != SALUD)
    g_string_append (text, t->scene >= 0 && t->scene != SIM_SCENE_PLATE ? PICK (gen, closers_fix)
                                                                          : PICK (gen, closers));
  hashtag = hashtags[department][g_rand_int_range (gen->rand, 0, 2)];
  if (hashtag != NULL && g_rand_int_range (gen->rand, 0, 5) == 0)
    g_string_append (text, hashtag);

  /* The place of the report, where it has one. */
  /* Only reports about a street or a spot carry a place. */
  if (with_place && (strstr (t->text, "{calle}") != NULL || strstr (t->text, "{lugar}") != NULL))
    {
      double lat, lon;
      g_autofree char *place = NULL;

      if (strstr (t->text, "{calle}") != NULL)
        street_point (gen, street, &lat, &lon);
      else
        street_point (gen, landmark, &lat, &lon);
      place = sim_gen_place (gen, lat, lon);
      g_string_append (text, g_rand_boolean (gen->rand) ? "\n\n" : "\n");
      g_string_append (text, place);
    }

  out->text = g_string_free (text, FALSE);
  out->visibility = t->visibility;
  out->department = department;
  out->second = t->second;
  out->scene = -1;
  out->alt = NULL;
  if (t->scene >= 0 && g_rand_int_range (gen->rand, 0, 100) < 45)
    {
      out->scene = t->scene;
      out->alt = g_rand_int_range (gen->rand, 0, 3) > 0 ? g_strdup (alts[t->scene]) : NULL;
    }
}

char *
sim_gen_reply (SimGen     *gen,
               guint       department,
               const char *citizen)
{
  g_autofree char *mention = g_strdup_printf ("@%s", citizen);
  const char *template = replies[MIN (department, ALCALDIA)][g_rand_int_range (gen->rand, 0, 5)];

  return expand (gen, template, mention, &streets[0], &streets[1], &landmarks[0]);
}

char *
sim_gen_follow_up (SimGen *gen,
                   guint   department)
{
  gboolean fixable = department == POLICIA || department == LIMPIEZA || department == TECNICOS ||
                     department == ALCALDIA;

  if (fixable && g_rand_boolean (gen->rand))
    return g_strdup (PICK (gen, follow_ups_fix));
  return g_strdup (PICK (gen, follow_ups));
}

char *
sim_gen_menu (SimGen *gen)
{
  const char *first = PICK (gen, menu_firsts);
  const char *second = PICK (gen, menu_seconds);
  const char *dessert = PICK (gen, menu_desserts);
  g_autofree char *first_cap = g_strdup (first);

  first_cap[0] = g_ascii_toupper (first_cap[0]);
  return g_strdup_printf ("Menú de hoy en el comedor:\n\n🥣 %s\n🍽️ %s\n🍏 %s\n\n¡Buen provecho! #MenúEscolar",
                          first_cap, second, dessert);
}
